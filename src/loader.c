/* permitsim: the loader's public entry points and its problem list.
 *
 * Each public loader reads its file (loader_xml.c), hands the bytes to the
 * format's builder (loader_municipality.c, loader_region.c,
 * loader_scenario.c, loader_params.c) and turns the problems collected for
 * the file into one GError. */
#include "loader_internal.h"

#include <stdarg.h>
#include <string.h>

#include "embedded.h"

/* ---------- the problems of one file ---------- */

void
psim_load_ctx_init (PsimLoadCtx *ctx, const char *path, GPtrArray *diagnostics)
{
  memset (ctx, 0, sizeof *ctx);
  ctx->path = path;
  ctx->diagnostics = diagnostics;
  ctx->first = diagnostics->len;
}

void
psim_load_report (PsimLoadCtx *ctx, int line, int column, PsimProblem problem,
                  const char *format, ...)
{
  if (ctx->reported >= PSIM_LOADER_MAX_PROBLEMS)
    {
      if (ctx->dropped++ == 0)
        ctx->dropped_problem = problem;
      return;
    }
  va_list ap;
  va_start (ap, format);
  g_autofree char *message = g_strdup_vprintf (format, ap);
  va_end (ap);
  psim_diagnostics_add (ctx->diagnostics, ctx->path, line, column, problem, "%s", message);
  ctx->reported++;
}

gboolean
psim_load_failed (const PsimLoadCtx *ctx)
{
  return ctx->reported > 0 || ctx->dropped > 0;
}

gboolean
psim_load_finish (PsimLoadCtx *ctx, GError **error)
{
  if (ctx->dropped > 0)
    {
      psim_diagnostics_add (ctx->diagnostics, ctx->path, 0, 0, ctx->dropped_problem,
                            "%u more problems in this file are not listed (the first %d are)",
                            ctx->dropped, PSIM_LOADER_MAX_PROBLEMS);
      ctx->dropped = 0;
    }
  if (ctx->diagnostics->len <= ctx->first)
    return TRUE;
  if (error != NULL)
    {
      GString *text = g_string_new (NULL);
      for (guint i = ctx->first; i < ctx->diagnostics->len; i++)
        {
          g_autofree char *line = psim_diagnostic_to_string (g_ptr_array_index (ctx->diagnostics, i));
          if (text->len > 0)
            g_string_append_c (text, '\n');
          g_string_append (text, line);
        }
      /* An input file that cannot be read (missing, a folder, too large) is
       * the user's input problem like any other: exit 2, not 3. */
      g_set_error_literal (error, PSIM_ERROR, PSIM_ERROR_INVALID_INPUT, text->str);
      g_string_free (text, TRUE);
    }
  return FALSE;
}

/* Levenshtein distance, ignoring case; gives up (returns limit + 1) once it
 * must exceed `limit`. */
static gsize
edit_distance (const char *a, const char *b, gsize limit)
{
  gsize la = strlen (a), lb = strlen (b);
  if ((la > lb ? la - lb : lb - la) > limit)
    return limit + 1;
  g_autofree gsize *prev = g_new (gsize, lb + 1);
  g_autofree gsize *cur = g_new (gsize, lb + 1);
  for (gsize j = 0; j <= lb; j++)
    prev[j] = j;
  for (gsize i = 1; i <= la; i++)
    {
      cur[0] = i;
      gsize row_min = cur[0];
      for (gsize j = 1; j <= lb; j++)
        {
          gsize sub = prev[j - 1] + (g_ascii_tolower (a[i - 1]) != g_ascii_tolower (b[j - 1]));
          gsize del = prev[j] + 1, ins = cur[j - 1] + 1;
          cur[j] = MIN (sub, MIN (del, ins));
          row_min = MIN (row_min, cur[j]);
        }
      if (row_min > limit)
        return limit + 1;
      gsize *t = prev;
      prev = cur;
      cur = t;
    }
  return prev[lb];
}

gboolean
psim_load_wants_details (const PsimLoadCtx *ctx)
{
  return ctx->reported < PSIM_LOADER_MAX_PROBLEMS;
}

const char *
psim_load_closest (PsimLoadCtx *ctx, const char *name, const char *const *candidates, gsize n)
{
  /* a suggestion costs time: only for the first few problems of a file */
  if (name == NULL || strlen (name) > 256 || ctx->suggestions >= PSIM_LOADER_MAX_SUGGESTIONS)
    return NULL;
  ctx->suggestions++;
  gsize allowed = MAX ((gsize) 2, strlen (name) / 3);
  const char *best = NULL;
  gsize best_d = allowed + 1;
  for (gsize i = 0; i < n; i++)
    {
      if (candidates[i] == NULL || strlen (candidates[i]) > 256)
        continue;
      gsize d = edit_distance (name, candidates[i], best_d - 1 < allowed ? best_d - 1 : allowed);
      if (d < best_d)
        {
          best_d = d;
          best = candidates[i];
        }
    }
  return best_d <= allowed ? best : NULL;
}

/* ---------- public entry points ---------- */

const char *
psim_schema_text (const char *name, gsize *length)
{
  size_t len = 0;
  const char *text = name != NULL ? psim_embedded_file (name, &len) : NULL;
  if (length != NULL)
    *length = text != NULL ? len : 0;
  return text;
}

gboolean
psim_municipality_load (const char *path, PsimMunicipality *out, GPtrArray *diagnostics,
                        GError **error)
{
  g_return_val_if_fail (path != NULL && out != NULL, FALSE);
  g_autoptr (GPtrArray) own = diagnostics == NULL ? psim_diagnostics_new () : NULL;
  PsimLoadCtx ctx;
  psim_load_ctx_init (&ctx, path, diagnostics != NULL ? diagnostics : own);
  memset (out, 0, sizeof *out);
  char *data = NULL;
  gsize length = 0;
  if (psim_loader_read_file (&ctx, &data, &length))
    psim_municipality_load_data (&ctx, data, length, out);
  g_free (data);
  if (!psim_load_finish (&ctx, error))
    {
      psim_municipality_clear (out);
      return FALSE;
    }
  return TRUE;
}

PsimRegion *
psim_region_load (const char *path, GPtrArray *diagnostics, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_autoptr (GPtrArray) own = diagnostics == NULL ? psim_diagnostics_new () : NULL;
  PsimLoadCtx ctx;
  psim_load_ctx_init (&ctx, path, diagnostics != NULL ? diagnostics : own);
  char *data = NULL;
  gsize length = 0;
  PsimRegion *region = NULL;
  if (psim_loader_read_file (&ctx, &data, &length))
    region = psim_region_load_data (&ctx, data, length);
  g_free (data);
  if (!psim_load_finish (&ctx, error))
    {
      psim_region_free (region);
      return NULL;
    }
  return region;
}

PsimParamSet *
psim_param_set_load (const char *path, GPtrArray *diagnostics, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_autoptr (GPtrArray) own = diagnostics == NULL ? psim_diagnostics_new () : NULL;
  PsimLoadCtx ctx;
  psim_load_ctx_init (&ctx, path, diagnostics != NULL ? diagnostics : own);
  char *data = NULL;
  gsize length = 0;
  PsimParamSet *set = NULL;
  if (psim_loader_read_file (&ctx, &data, &length))
    set = psim_param_set_load_data (&ctx, data, length);
  g_free (data);
  if (!psim_load_finish (&ctx, error))
    {
      psim_param_set_free (set);
      return NULL;
    }
  return set;
}

PsimScenario *
psim_scenario_load (const char *path, const PsimRegion *region, GPtrArray *diagnostics,
                    GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_autoptr (GPtrArray) own = diagnostics == NULL ? psim_diagnostics_new () : NULL;
  PsimLoadCtx ctx;
  psim_load_ctx_init (&ctx, path, diagnostics != NULL ? diagnostics : own);
  char *data = NULL;
  gsize length = 0;
  PsimScenario *scenario = NULL;
  if (psim_loader_read_file (&ctx, &data, &length))
    scenario = psim_scenario_load_data (&ctx, data, length, region);
  g_free (data);
  if (!psim_load_finish (&ctx, error))
    {
      psim_scenario_free (scenario);
      return NULL;
    }
  return scenario;
}

PsimFormat
psim_format_detect (const char *path, GError **error)
{
  g_return_val_if_fail (path != NULL, PSIM_FORMAT_UNKNOWN);
  g_autoptr (GPtrArray) diagnostics = psim_diagnostics_new ();
  PsimLoadCtx ctx;
  psim_load_ctx_init (&ctx, path, diagnostics);
  char *data = NULL;
  gsize length = 0;
  PsimFormat format = PSIM_FORMAT_UNKNOWN;
  if (psim_loader_read_file (&ctx, &data, &length))
    {
      xmlDocPtr doc = psim_loader_parse (&ctx, data, length, &format, TRUE);
      if (doc == NULL)
        format = PSIM_FORMAT_UNKNOWN;
      xmlFreeDoc (doc);
    }
  g_free (data);
  psim_load_finish (&ctx, error);
  return format;
}

gboolean
psim_loader_check_data (const char *name, const char *data, gsize length,
                        const PsimRegion *region, GPtrArray *diagnostics)
{
  PsimLoadCtx ctx;
  psim_load_ctx_init (&ctx, name, diagnostics);
  PsimFormat format = PSIM_FORMAT_UNKNOWN;
  xmlDocPtr doc = psim_loader_parse (&ctx, data, length, &format, TRUE);
  if (doc == NULL)
    return FALSE;
  xmlFreeDoc (doc);
  psim_load_ctx_init (&ctx, name, diagnostics);
  switch (format)
    {
    case PSIM_FORMAT_MUNICIPALITY:
      {
        PsimMunicipality m = { 0 };
        psim_municipality_load_data (&ctx, data, length, &m);
        psim_municipality_clear (&m);
        break;
      }
    case PSIM_FORMAT_REGION:
      psim_region_free (psim_region_load_data (&ctx, data, length));
      break;
    case PSIM_FORMAT_SCENARIO:
      psim_scenario_free (psim_scenario_load_data (&ctx, data, length, region));
      break;
    case PSIM_FORMAT_PARAMETERS:
      psim_param_set_free (psim_param_set_load_data (&ctx, data, length));
      break;
    case PSIM_FORMAT_UNKNOWN:
      return FALSE;
    }
  return psim_load_finish (&ctx, NULL);
}
