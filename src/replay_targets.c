/* permitsim: the targets table (municipalities/targets.csv).
 *
 * Reads the table with the project's CSV reader and checks every row the way
 * the loader checks XML: all problems are reported, each with its line.
 * A row is a published figure, its role, who fitted what to it, its measure,
 * rule, value, tolerance, source and the reason for the tolerance.
 */
#include "permitsim/replay.h"

#include <math.h>
#include <string.h>

#include "csvread.h"
#include "permitsim/error.h"

const char *const psim_target_columns[] = {
  "target", "role", "fitted_by", "parameter", "measure", "rule",
  "published", "tolerance", "source", "justification", NULL,
};

enum {
  COL_TARGET, COL_ROLE, COL_FITTED_BY, COL_PARAMETER, COL_MEASURE, COL_RULE,
  COL_PUBLISHED, COL_TOLERANCE, COL_SOURCE, COL_JUSTIFICATION, N_COLS
};

static const char *const role_names[] = { "calibration", "validation" };
static const char *const fit_names[] = { "", "calibrate", "hand", "data" };
static const char *const rule_names[] = { "within", "above", "below" };

const char *
psim_target_role_name (PsimTargetRole role)
{
  return (unsigned) role < G_N_ELEMENTS (role_names) ? role_names[role] : "?";
}

const char *
psim_target_fit_name (PsimTargetFit fit)
{
  return (unsigned) fit < G_N_ELEMENTS (fit_names) ? fit_names[fit] : "?";
}

static void
target_free (PsimTarget *t)
{
  if (t == NULL)
    return;
  g_free (t->name);
  g_strfreev (t->parameters);
  psim_measure_free (t->measure);
  g_free (t->source);
  g_free (t->justification);
  g_free (t);
}

PsimTargetSet *
psim_target_set_new (void)
{
  PsimTargetSet *set = g_new0 (PsimTargetSet, 1);
  set->targets = g_ptr_array_new_with_free_func ((GDestroyNotify) target_free);
  return set;
}

void
psim_target_set_free (PsimTargetSet *set)
{
  if (set == NULL)
    return;
  g_ptr_array_unref (set->targets);
  g_free (set->path);
  g_free (set);
}

guint
psim_target_set_size (const PsimTargetSet *set)
{
  g_return_val_if_fail (set != NULL, 0);
  return set->targets->len;
}

const PsimTarget *
psim_target_set_get (const PsimTargetSet *set, guint index)
{
  g_return_val_if_fail (set != NULL && index < set->targets->len, NULL);
  return g_ptr_array_index (set->targets, index);
}

/* Index of `text` in `names`, or -1. */
static int
name_index (const char *const *names, gsize n, const char *text)
{
  for (gsize i = 0; i < n; i++)
    if (strcmp (names[i], text) == 0)
      return (int) i;
  return -1;
}

/* A finite number and nothing else. */
static gboolean
parse_number (const char *text, double *out)
{
  char *end = NULL;
  if (*text == '\0')
    return FALSE;
  *out = g_ascii_strtod (text, &end);
  return *end == '\0' && isfinite (*out);
}

/* The problems of one row, one message each, joined with "; ". */
static gboolean
row_problem (GString *problems, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gboolean
row_problem (GString *problems, const char *format, ...)
{
  va_list ap;
  va_start (ap, format);
  if (problems->len > 0)
    g_string_append (problems, "; ");
  g_string_append_vprintf (problems, format, ap);
  va_end (ap);
  return FALSE;
}

/* Checks the fitted_by and parameter columns against the role. */
static void
check_fit (PsimTarget *t, const char *fitted_by, const char *parameter, GString *problems)
{
  int fit = name_index (fit_names, G_N_ELEMENTS (fit_names), fitted_by);
  if (fit < 0)
    {
      row_problem (problems, "fitted_by \"%s\" is not one of calibrate, hand, data (or empty)",
                   fitted_by);
      return;
    }
  t->fitted_by = (PsimTargetFit) fit;
  t->parameters = g_strsplit_set (parameter, " ", -1);
  /* drop the empty strings of repeated or surrounding spaces */
  char **w = t->parameters;
  for (char **r = t->parameters; *r != NULL; r++)
    if (**r != '\0')
      *w++ = *r;
    else
      g_free (*r);
  *w = NULL;
  guint n = g_strv_length (t->parameters);

  if (t->role == PSIM_TARGET_VALIDATION && (t->fitted_by != PSIM_FIT_NONE || n > 0))
    row_problem (problems, "a validation target has nothing fitted to it: leave fitted_by and "
                 "parameter empty");
  if (t->role == PSIM_TARGET_CALIBRATION && t->fitted_by == PSIM_FIT_NONE)
    row_problem (problems, "a calibration target says what was fitted to it: fitted_by is "
                 "calibrate, hand or data");
  if (t->fitted_by == PSIM_FIT_CALIBRATE && n != 1)
    row_problem (problems, "fitted_by calibrate names exactly one parameter (it names %u)", n);
  if ((t->fitted_by == PSIM_FIT_CALIBRATE || t->fitted_by == PSIM_FIT_HAND) && n == 0)
    row_problem (problems, "fitted_by %s needs the parameters fitted", fitted_by);
  for (guint i = 0; i < n; i++)
    if (psim_param_lookup (t->parameters[i]) < 0)
      row_problem (problems, "\"%s\" is not a parameter of the model", t->parameters[i]);
}

/* Checks one row against the rows already in the set. */
static void
check_against_set (const PsimTargetSet *set, const PsimTarget *t, GString *problems)
{
  for (guint i = 0; i < set->targets->len; i++)
    {
      const PsimTarget *o = g_ptr_array_index (set->targets, i);
      if (strcmp (o->name, t->name) == 0)
        row_problem (problems, "target \"%s\" is given twice (first on line %d)", t->name, o->line);
      else if (t->measure != NULL && o->role != t->role
               && strcmp (psim_measure_text (o->measure), psim_measure_text (t->measure)) == 0)
        row_problem (problems, "the measure of \"%s\" is also the %s target \"%s\": a figure "
                     "that calibrates cannot validate", t->name, psim_target_role_name (o->role),
                     o->name);
    }
}

gboolean
psim_target_set_add (PsimTargetSet *set, const char *const *fields, int line, GError **error)
{
  g_return_val_if_fail (set != NULL && fields != NULL, FALSE);
  g_autoptr (GString) problems = g_string_new (NULL);
  PsimTarget *t = g_new0 (PsimTarget, 1);
  t->line = line;
  t->name = g_strdup (fields[COL_TARGET]);
  t->source = g_strdup (fields[COL_SOURCE]);
  t->justification = g_strdup (fields[COL_JUSTIFICATION]);

  if (*t->name == '\0')
    row_problem (problems, "the target has no name");
  int role = name_index (role_names, G_N_ELEMENTS (role_names), fields[COL_ROLE]);
  if (role < 0)
    row_problem (problems, "role \"%s\" is not calibration or validation", fields[COL_ROLE]);
  else
    {
      t->role = (PsimTargetRole) role;
      check_fit (t, fields[COL_FITTED_BY], fields[COL_PARAMETER], problems);
    }
  GError *merror = NULL;
  t->measure = psim_measure_parse (fields[COL_MEASURE], &merror);
  if (t->measure == NULL)
    {
      row_problem (problems, "%s", merror->message);
      g_error_free (merror);
    }
  int rule = name_index (rule_names, G_N_ELEMENTS (rule_names), fields[COL_RULE]);
  if (rule < 0)
    row_problem (problems, "rule \"%s\" is not within, above or below", fields[COL_RULE]);
  else
    t->rule = (PsimTargetRule) rule;
  if (t->fitted_by == PSIM_FIT_CALIBRATE && t->rule != PSIM_TARGET_WITHIN)
    row_problem (problems, "calibrate fits only to a value: the rule must be within");
  if (!parse_number (fields[COL_PUBLISHED], &t->published))
    row_problem (problems, "published \"%s\" is not a number", fields[COL_PUBLISHED]);
  if (!parse_number (fields[COL_TOLERANCE], &t->tolerance) || t->tolerance < 0)
    row_problem (problems, "tolerance \"%s\" is not a number >= 0 (declare one)",
                 fields[COL_TOLERANCE]);
  else if (t->fitted_by == PSIM_FIT_CALIBRATE && t->tolerance == 0)
    row_problem (problems, "a fitted target needs a tolerance > 0 (it scales the loss)");
  if (*t->source == '\0')
    row_problem (problems, "no source");
  if (*t->justification == '\0')
    row_problem (problems, "no justification of the tolerance");
  check_against_set (set, t, problems);

  if (problems->len > 0)
    {
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_INVALID_INPUT, "%s:%d: error: %s",
                   set->path != NULL ? set->path : "targets", line, problems->str);
      target_free (t);
      return FALSE;
    }
  g_ptr_array_add (set->targets, t);
  return TRUE;
}

PsimTargetSet *
psim_target_set_load (const char *path, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_autoptr (PsimCsvReader) reader = psim_csv_reader_open (path, error);
  if (reader == NULL)
    return NULL;
  g_autoptr (PsimTargetSet) set = psim_target_set_new ();
  set->path = g_strdup (path);
  g_autoptr (GString) all = g_string_new (NULL);
  GError *local = NULL;

  if (!psim_csv_reader_next (reader, &local))
    {
      if (local != NULL)
        g_propagate_error (error, local);
      else
        g_set_error (error, PSIM_ERROR, PSIM_ERROR_INVALID_INPUT, "%s:1: error: empty file", path);
      return NULL;
    }
  gboolean header_ok = psim_csv_reader_n_fields (reader) == N_COLS;
  for (guint i = 0; header_ok && i < N_COLS; i++)
    header_ok = strcmp (psim_csv_reader_field (reader, i), psim_target_columns[i]) == 0;
  if (!header_ok)
    {
      g_autofree char *want = g_strjoinv (",", (char **) psim_target_columns);
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_INVALID_INPUT,
                   "%s:1: error: the header must be exactly %s", path, want);
      return NULL;
    }

  while (psim_csv_reader_next (reader, &local))
    {
      int line = psim_csv_reader_line (reader);
      guint n = psim_csv_reader_n_fields (reader);
      if (n != N_COLS)
        {
          g_string_append_printf (all, "%s%s:%d: error: %u fields, not %d (every row has every "
                                  "column)", all->len > 0 ? "\n" : "", path, line, n, N_COLS);
          continue;
        }
      const char *fields[N_COLS];
      for (guint i = 0; i < N_COLS; i++)
        fields[i] = psim_csv_reader_field (reader, i);
      GError *row_error = NULL;
      if (!psim_target_set_add (set, fields, line, &row_error))
        {
          g_string_append_printf (all, "%s%s", all->len > 0 ? "\n" : "", row_error->message);
          g_error_free (row_error);
        }
    }
  if (local != NULL)
    {
      g_string_append_printf (all, "%s%s", all->len > 0 ? "\n" : "", local->message);
      g_error_free (local);
    }
  if (all->len == 0 && set->targets->len == 0)
    g_string_append_printf (all, "%s:2: error: the table has no targets", path);
  if (all->len > 0)
    {
      g_set_error_literal (error, PSIM_ERROR, PSIM_ERROR_INVALID_INPUT, all->str);
      return NULL;
    }
  return g_steal_pointer (&set);
}

gboolean
psim_target_set_bind (PsimTargetSet *set, const PsimRegion *region, GError **error)
{
  g_return_val_if_fail (set != NULL && region != NULL, FALSE);
  for (guint i = 0; i < set->targets->len; i++)
    {
      PsimTarget *t = g_ptr_array_index (set->targets, i);
      GError *local = NULL;
      if (!psim_measure_bind (t->measure, region, &local))
        {
          g_set_error (error, PSIM_ERROR, PSIM_ERROR_INVALID_INPUT, "%s:%d: error: target %s: %s",
                       set->path != NULL ? set->path : "targets", t->line, t->name, local->message);
          g_error_free (local);
          return FALSE;
        }
    }
  return TRUE;
}
