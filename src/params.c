/* permitsim: the parameter table (see params.h); values come from the file. */
#include "permitsim/params.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

#include "policy.h" /* PSIM_LEGAL_AGE */

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

void
psim_param_domain (gsize index, PsimParamDomain *out)
{
  g_return_if_fail (index < G_N_ELEMENTS (param_table) && out != NULL);
  static const char *const unit_interval[] = {
    "probability", "probability per week", "probability per inspection", "share", "share per week",
    "share of the gap per week", "share of existing venues per year", "trust", "trust per level",
  };
  static const char *const any_number[] = {
    "utility", "utility per incident a week", "utility per 100 euros a week", "log-odds",
    "log-odds per unit of trust",
  };
  const PsimParamInfo *info = &param_table[index];
  *out = (PsimParamDomain) { 0.0, INFINITY, FALSE, "a number of 0 or more" };
  if (strcmp (info->name, "exit.max-age") == 0)
    *out = (PsimParamDomain) { PSIM_LEGAL_AGE, INFINITY, TRUE, "an age above the legal age of 18" };
  for (gsize k = 0; k < G_N_ELEMENTS (unit_interval); k++)
    if (strcmp (info->unit, unit_interval[k]) == 0)
      *out = (PsimParamDomain) { 0.0, 1.0, FALSE, "a probability, share or amount of trust, from 0 to 1" };
  for (gsize k = 0; k < G_N_ELEMENTS (any_number); k++)
    if (strcmp (info->unit, any_number[k]) == 0)
      *out = (PsimParamDomain) { -INFINITY, INFINITY, FALSE, "any number" };
}
