/* permitsim: the parameter table (see params.h); values come from the file. */
#include "permitsim/params.h"

#include <stddef.h>
#include <string.h>

static const PsimParamInfo param_table[] = {
#define PSIM_PARAM_INFO(field, name, unit) { name, unit, offsetof (PsimParams, field) },
  PSIM_PARAMETERS (PSIM_PARAM_INFO)
#undef PSIM_PARAM_INFO
};

gsize
psim_param_count (void)
{
  return G_N_ELEMENTS (param_table);
}

const PsimParamInfo *
psim_param_info (gsize index)
{
  g_return_val_if_fail (index < G_N_ELEMENTS (param_table), NULL);
  return &param_table[index];
}

gssize
psim_param_lookup (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (param_table); i++)
    if (strcmp (param_table[i].name, name) == 0)
      return (gssize) i;
  return -1;
}

double
psim_params_get (const PsimParams *params, gsize index)
{
  g_return_val_if_fail (index < G_N_ELEMENTS (param_table), 0.0);
  return *(const double *) ((const char *) params + param_table[index].offset);
}

void
psim_params_set (PsimParams *params, gsize index, double value)
{
  g_return_if_fail (index < G_N_ELEMENTS (param_table));
  *(double *) ((char *) params + param_table[index].offset) = value;
}

void
psim_param_set_free (PsimParamSet *set)
{
  if (set == NULL)
    return;
  if (set->entries != NULL)
    for (gsize i = 0; i < psim_param_count (); i++)
      {
        g_free (set->entries[i].source);
        g_free (set->entries[i].calibrated);
        g_free (set->entries[i].description);
      }
  g_free (set->entries);
  g_free (set->path);
  g_free (set);
}
