/* permitsim: turning a chart into bytes and files. A chart is drawn twice:
 * once on a recording surface to learn its height (captions wrap,
 * municipalities add rows), then on the real surface: SVG, PNG or PDF. All
 * files of one call (the charts into charts/, report.html beside it) are
 * staged under temporary names and renamed into place only when every one of
 * them was written. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <glib/gstdio.h>

#include "chart_private.h"
#include "permitsim/error.h"

#define W PSIM_CHART_WIDTH
#define PNG_SCALE 1.5 /* 1800 pixels wide */
#define PDF_SCALE 0.7 /* 840 points: the width of A4 landscape */

gboolean
psim_chart_formats_parse (const char *list, unsigned *formats, GError **error)
{
  *formats = 0;
  g_auto (GStrv) parts = g_strsplit (list != NULL ? list : "", ",", -1);
  for (char **p = parts; *p != NULL; p++)
    {
      char *f = g_strstrip (*p);
      if (g_ascii_strcasecmp (f, "svg") == 0)
        *formats |= PSIM_CHART_FORMAT_SVG;
      else if (g_ascii_strcasecmp (f, "png") == 0)
        *formats |= PSIM_CHART_FORMAT_PNG;
      else if (g_ascii_strcasecmp (f, "pdf") == 0)
        *formats |= PSIM_CHART_FORMAT_PDF;
      else
        {
          g_set_error (error, PSIM_ERROR, PSIM_ERROR_USAGE, "unknown chart format '%s' (use svg, png, pdf)", f);
          return FALSE;
        }
    }
  if (*formats == 0)
    {
      g_set_error_literal (error, PSIM_ERROR, PSIM_ERROR_USAGE, "no chart format given (use svg, png, pdf)");
      return FALSE;
    }
  return TRUE;
}

static cairo_status_t
append_bytes (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

GBytes *
psim_chart_render (const PsimChartData *data, PsimChartId chart, PsimChartFormat format,
                   const PsimChartOptions *options, GError **error)
{
  g_return_val_if_fail (data != NULL && options != NULL, NULL);
  g_return_val_if_fail ((int) chart >= 0 && chart < PSIM_N_CHARTS, NULL);
  int year_index;
  if (!psim_chart_data_year_index (data, options->year, &year_index, error))
    return NULL;
  if (!psim_chart_available (data, chart))
    {
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_INVALID_INPUT,
                   "%s: error: the chart '%s' needs results for at least two municipalities", data->dir,
                   psim_chart_file_stem (chart));
      return NULL;
    }

  /* pass 1: how tall is it? */
  cairo_surface_t *recording = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, NULL);
  cairo_t *cr = cairo_create (recording);
  double height = psim_chart_draw (cr, data, chart, options->lang, year_index);
  cairo_destroy (cr);
  cairo_surface_destroy (recording);

  /* pass 2: draw it for real */
  GByteArray *bytes = g_byte_array_new ();
  cairo_surface_t *surface;
  double scale = 1.0;
  switch (format)
    {
    case PSIM_CHART_FORMAT_SVG:
      surface = cairo_svg_surface_create_for_stream (append_bytes, bytes, W, height);
      cairo_svg_surface_set_document_unit (surface, CAIRO_SVG_UNIT_PX);
      break;
    case PSIM_CHART_FORMAT_PDF:
      scale = PDF_SCALE;
      surface = cairo_pdf_surface_create_for_stream (append_bytes, bytes, W * scale, height * scale);
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, psim_chart_file_stem (chart));
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "permitsim");
      break;
    case PSIM_CHART_FORMAT_PNG:
    default:
      scale = PNG_SCALE;
      surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) ceil (W * scale), (int) ceil (height * scale));
      break;
    }
  cr = cairo_create (surface);
  cairo_scale (cr, scale, scale);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  psim_chart_draw (cr, data, chart, options->lang, year_index);
  cairo_status_t status = cairo_status (cr);
  cairo_destroy (cr);
  if (status == CAIRO_STATUS_SUCCESS && format == PSIM_CHART_FORMAT_PNG)
    status = cairo_surface_write_to_png_stream (surface, append_bytes, bytes);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_RUNTIME, "drawing the chart '%s' failed: %s",
                   psim_chart_file_stem (chart), cairo_status_to_string (status));
      g_byte_array_free (bytes, TRUE);
      return NULL;
    }
  return g_byte_array_free_to_bytes (bytes);
}

/* ---------- writing the files ---------- */

typedef struct {
  char *staged;
  char *final;
} Staged;

static void
staged_free (gpointer p)
{
  Staged *s = p;
  if (s->staged != NULL)
    g_unlink (s->staged); /* still there: not renamed, so a leftover */
  g_free (s->staged);
  g_free (s->final);
  g_free (s);
}

/* Writes the bytes under a temporary name in outdir. */
static gboolean
stage (GPtrArray *staged, const char *outdir, const char *name, const void *bytes, gsize length, GError **error)
{
  g_autofree char *tmpl_name = g_strdup_printf (".%s.XXXXXX", name);
  g_autofree char *tmpl = g_build_filename (outdir, tmpl_name, NULL);
  int fd = g_mkstemp_full (tmpl, O_RDWR, 0644);
  if (fd < 0)
    {
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_IO, "%s: cannot create a file: %s", outdir, g_strerror (errno));
      return FALSE;
    }
  g_close (fd, NULL);
  Staged *s = g_new0 (Staged, 1);
  s->staged = g_strdup (tmpl);
  s->final = g_build_filename (outdir, name, NULL);
  g_ptr_array_add (staged, s);
  GError *local = NULL;
  if (!g_file_set_contents_full (tmpl, bytes, (gssize) length, G_FILE_SET_CONTENTS_CONSISTENT, 0644, &local))
    {
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_IO, "%s", local->message);
      g_error_free (local);
      return FALSE;
    }
  return TRUE;
}

/* Stages every chart in chart_dir and report.html in outdir, then renames
 * them all into place. */
static gboolean
write_staged (const PsimChartData *data, const PsimChartOptions *options, const char *outdir,
              const char *chart_dir, GError **error)
{
  static const struct {
    PsimChartFormat format;
    const char *extension;
  } formats[] = { { PSIM_CHART_FORMAT_SVG, "svg" }, { PSIM_CHART_FORMAT_PNG, "png" }, { PSIM_CHART_FORMAT_PDF, "pdf" } };

  g_autoptr (GPtrArray) staged = g_ptr_array_new_with_free_func (staged_free);
  for (int chart = 0; chart < PSIM_N_CHARTS; chart++)
    {
      if (!psim_chart_available (data, (PsimChartId) chart))
        continue;
      for (gsize f = 0; f < G_N_ELEMENTS (formats); f++)
        {
          if ((options->formats & formats[f].format) == 0)
            continue;
          g_autoptr (GBytes) bytes = psim_chart_render (data, (PsimChartId) chart, formats[f].format, options, error);
          if (bytes == NULL)
            return FALSE;
          g_autofree char *name = g_strdup_printf ("%s.%s", psim_chart_file_stem ((PsimChartId) chart),
                                                  formats[f].extension);
          gsize length;
          const void *p = g_bytes_get_data (bytes, &length);
          if (!stage (staged, chart_dir, name, p, length, error))
            return FALSE;
        }
    }
  g_autofree char *html = psim_report_html (data, options, error);
  if (html == NULL)
    return FALSE;
  if (!stage (staged, outdir, "report.html", html, strlen (html), error))
    return FALSE;

  for (guint i = 0; i < staged->len; i++)
    {
      Staged *s = g_ptr_array_index (staged, i);
      if (g_rename (s->staged, s->final) != 0)
        {
          g_set_error (error, PSIM_ERROR, PSIM_ERROR_IO, "%s: cannot rename into place: %s", s->final,
                       g_strerror (errno));
          return FALSE;
        }
      g_clear_pointer (&s->staged, g_free);
    }
  return TRUE;
}

gboolean
psim_chart_write_all (const PsimChartData *data, const PsimChartOptions *options, const char *outdir,
                      GError **error)
{
  g_return_val_if_fail (data != NULL && options != NULL && outdir != NULL, FALSE);
  int year_index;
  if (!psim_chart_data_year_index (data, options->year, &year_index, error))
    return FALSE;
  /* the charts in a directory of their own, the report beside it: the layout
   * of `permitsim compare`, so that a redraw replaces its files */
  g_autofree char *chart_dir = g_build_filename (outdir, PSIM_CHART_DIR, NULL);
  gboolean had_outdir = g_file_test (outdir, G_FILE_TEST_IS_DIR);
  gboolean had_chart_dir = g_file_test (chart_dir, G_FILE_TEST_IS_DIR);
  if (g_mkdir_with_parents (chart_dir, 0755) != 0)
    {
      g_set_error (error, PSIM_ERROR, PSIM_ERROR_IO, "%s: cannot create the directory: %s", chart_dir,
                   g_strerror (errno));
      return FALSE;
    }
  if (write_staged (data, options, outdir, chart_dir, error))
    return TRUE;
  /* the staged files are gone by now: a directory made for them goes too (if empty) */
  if (!had_chart_dir)
    g_rmdir (chart_dir);
  if (!had_outdir)
    g_rmdir (outdir);
  return FALSE;
}
