/* permitsim: turning a chart into bytes. A chart is drawn twice: once on a
 * recording surface to learn its height (captions wrap, municipalities add
 * rows), then on the real surface: SVG, PNG or PDF. Writing the charts and
 * the report into a directory is report_output.c's. */
#include <errno.h>
#include <math.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>

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
