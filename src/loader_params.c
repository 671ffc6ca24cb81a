/* permitsim: reading the parameter file into a PsimParamSet.
 *
 * Every parameter of PSIM_PARAMETERS (params.h) must be given exactly once,
 * in the unit the model uses, with a source (a citation or the word
 * assumption), and with min <= value <= max. min == max is allowed: it fixes
 * a parameter that sensitivity analysis should not vary. An unknown name is
 * an error, with the closest known name suggested. */
#include "loader_internal.h"

#include <string.h>

static void
read_parameter (PsimLoadCtx *ctx, xmlNodePtr node, PsimParamSet *set, int *seen_line,
                const char **known)
{
  int line = psim_xml_line (node);
  g_autofree char *name = psim_xml_attr (node, "name");
  if (name == NULL)
    return;
  g_autofree char *q = psim_diagnostic_quoted (name);
  gssize idx = psim_param_lookup (name);
  if (idx < 0)
    {
      const char *close = psim_load_closest (ctx, name, known, psim_param_count ());
      psim_load_report (ctx, line, 0, PSIM_PROBLEM_REFERENCE,
                        "unknown parameter %s%s%s%s", q,
                        close != NULL ? ": did you mean \"" : " (the model has no parameter of "
                                                              "that name)",
                        close != NULL ? close : "", close != NULL ? "\"?" : "");
      return;
    }
  if (seen_line[idx] > 0)
    {
      psim_load_report (ctx, line, 0, PSIM_PROBLEM_REFERENCE,
                        "parameter %s is given twice (first on line %d)", q, seen_line[idx]);
      return;
    }
  seen_line[idx] = line;

  const PsimParamInfo *info = psim_param_info ((gsize) idx);
  PsimParamEntry *e = &set->entries[idx];
  gboolean ok = psim_read_double (ctx, node, "value", &e->value);
  ok = psim_read_double (ctx, node, "min", &e->min) && ok;
  ok = psim_read_double (ctx, node, "max", &e->max) && ok;
  if (ok && e->min > e->max)
    psim_load_report (ctx, line, 0, PSIM_PROBLEM_RANGE,
                      "parameter %s: min %.17g is larger than max %.17g", q, e->min, e->max);
  else if (ok && (e->value < e->min || e->value > e->max))
    psim_load_report (ctx, line, 0, PSIM_PROBLEM_RANGE,
                      "parameter %s: value %.17g is outside its range [%.17g, %.17g]",
                      q, e->value, e->min, e->max);
  PsimParamDomain domain;
  psim_param_domain ((gsize) idx, &domain);
  if (ok && e->min <= e->max
      && (e->min < domain.lo || (domain.lo_open && e->min == domain.lo) || e->max > domain.hi))
    psim_load_report (ctx, line, 0, PSIM_PROBLEM_RANGE,
                      "parameter %s: range [%.17g, %.17g] goes beyond what the model can take "
                      "for it (%s): a run could draw a value it cannot use",
                      q, e->min, e->max, domain.what);
  g_autofree char *unit = psim_xml_attr (node, "unit");
  if (unit != NULL && strcmp (unit, info->unit) != 0)
    {
      g_autofree char *uq = psim_diagnostic_quoted (unit);
      psim_load_report (ctx, line, 0, PSIM_PROBLEM_CONSISTENCY,
                        "parameter %s: unit %s is not the unit the model uses (\"%s\")",
                        q, uq, info->unit);
    }
  e->source = psim_xml_attr (node, "source");
  if (e->source == NULL || e->source[0] == '\0')
    psim_load_report (ctx, line, 0, PSIM_PROBLEM_SCHEMA,
                      "parameter %s has no source: give a citation, \"calibrated: ...\" or "
                      "the word assumption", q);
  e->calibrated = psim_xml_attr (node, "calibrated");
  e->description = psim_xml_text (node);
  psim_params_set (&set->values, (gsize) idx, e->value);
}

PsimParamSet *
psim_param_set_load_data (PsimLoadCtx *ctx, const char *data, gsize length)
{
  PsimFormat format = PSIM_FORMAT_PARAMETERS;
  xmlDocPtr doc = psim_loader_parse (ctx, data, length, &format, FALSE);
  if (doc == NULL)
    return NULL;
  gsize count = psim_param_count ();
  PsimParamSet *set = g_new0 (PsimParamSet, 1);
  set->path = g_strdup (ctx->path);
  set->entries = g_new0 (PsimParamEntry, count);
  g_autofree int *seen_line = g_new0 (int, count);
  g_autofree const char **known = g_new0 (const char *, count + 1);
  for (gsize i = 0; i < count; i++)
    known[i] = psim_param_info (i)->name;

  xmlNodePtr root = xmlDocGetRootElement (doc);
  int last_line = psim_xml_line (root);
  for (xmlNodePtr n = psim_xml_element (root->children); n != NULL; n = psim_xml_element (n->next))
    if (psim_xml_is (n, "parameter"))
      {
        read_parameter (ctx, n, set, seen_line, known);
        last_line = psim_xml_line (n);
      }
  for (gsize i = 0; i < count; i++)
    if (seen_line[i] == 0)
      psim_load_report (ctx, last_line, 0, PSIM_PROBLEM_REFERENCE,
                        "parameter \"%s\" (%s) is missing: every parameter of the model must be "
                        "given", known[i], psim_param_info (i)->unit);
  xmlFreeDoc (doc);
  return set;
}
