/* permitsim: the drawing toolkit every chart uses. The series style (an
 * Okabe–Ito colour, a dash pattern, a marker and a hatching per scenario, so
 * that scenarios stay apart in colour-blind vision and in black and white),
 * text through pango in DejaVu Sans with metrics that do not depend on the
 * output format, rounded axis ticks, and the caption every chart carries. */
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "chart_private.h"

#define N_STYLES 8

/* Okabe & Ito (2008), "Color Universal Design": black, orange, blue,
 * vermillion, bluish green, reddish purple, sky blue, yellow. */
static const PsimRgb palette[N_STYLES] = {
  { 0.0, 0.0, 0.0 },
  { 230 / 255.0, 159 / 255.0, 0.0 },
  { 0.0, 114 / 255.0, 178 / 255.0 },
  { 213 / 255.0, 94 / 255.0, 0.0 },
  { 0.0, 158 / 255.0, 115 / 255.0 },
  { 204 / 255.0, 121 / 255.0, 167 / 255.0 },
  { 86 / 255.0, 180 / 255.0, 233 / 255.0 },
  { 240 / 255.0, 228 / 255.0, 66 / 255.0 },
};

PsimRgb
psim_chart_series_colour (int series)
{
  return palette[(series % N_STYLES + N_STYLES) % N_STYLES];
}

void
psim_chart_set_series_dash (cairo_t *cr, int series)
{
  static const double d1[] = { 12, 5 };
  static const double d2[] = { 0.1, 5.5 };
  static const double d3[] = { 14, 4, 0.1, 4 };
  static const double d4[] = { 6, 5 };
  static const double d5[] = { 18, 4, 0.1, 4, 0.1, 4 };
  static const double d6[] = { 3, 3 };
  static const double d7[] = { 24, 7 };
  static const struct {
    const double *dash;
    int n;
  } dashes[N_STYLES] = { { NULL, 0 }, { d1, 2 }, { d2, 2 }, { d3, 4 }, { d4, 2 }, { d5, 6 }, { d6, 2 }, { d7, 2 } };
  int i = (series % N_STYLES + N_STYLES) % N_STYLES;
  cairo_set_dash (cr, dashes[i].dash, dashes[i].n, 0);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
}

static void
marker_path (cairo_t *cr, int shape, double x, double y, double r)
{
  switch (shape)
    {
    case 0:
    case 4:
      cairo_new_sub_path (cr);
      cairo_arc (cr, x, y, r, 0, 2 * G_PI);
      break;
    case 1:
    case 5:
      cairo_rectangle (cr, x - r * 0.9, y - r * 0.9, r * 1.8, r * 1.8);
      break;
    case 2:
      cairo_move_to (cr, x, y - r * 1.15);
      cairo_line_to (cr, x + r * 1.05, y + r * 0.75);
      cairo_line_to (cr, x - r * 1.05, y + r * 0.75);
      cairo_close_path (cr);
      break;
    case 3:
      cairo_move_to (cr, x, y - r * 1.25);
      cairo_line_to (cr, x + r * 1.05, y);
      cairo_line_to (cr, x, y + r * 1.25);
      cairo_line_to (cr, x - r * 1.05, y);
      cairo_close_path (cr);
      break;
    case 6:
      cairo_move_to (cr, x, y + r * 1.15);
      cairo_line_to (cr, x + r * 1.05, y - r * 0.75);
      cairo_line_to (cr, x - r * 1.05, y - r * 0.75);
      cairo_close_path (cr);
      break;
    default: /* a cross, drawn as a closed outline so that it fills */
      {
        double a = r * 1.1, b = r * 0.38;
        cairo_move_to (cr, x - a, y - a + b);
        cairo_line_to (cr, x - a + b, y - a);
        cairo_line_to (cr, x, y - b);
        cairo_line_to (cr, x + a - b, y - a);
        cairo_line_to (cr, x + a, y - a + b);
        cairo_line_to (cr, x + b, y);
        cairo_line_to (cr, x + a, y + a - b);
        cairo_line_to (cr, x + a - b, y + a);
        cairo_line_to (cr, x, y + b);
        cairo_line_to (cr, x - a + b, y + a);
        cairo_line_to (cr, x - a, y + a - b);
        cairo_line_to (cr, x - b, y);
        cairo_close_path (cr);
      }
      break;
    }
}

void
psim_chart_series_marker (cairo_t *cr, int series, double x, double y, double size)
{
  int shape = (series % N_STYLES + N_STYLES) % N_STYLES;
  PsimRgb c = psim_chart_series_colour (series);
  cairo_save (cr);
  cairo_set_dash (cr, NULL, 0, 0);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_MITER);
  /* a white halo keeps the marker readable on top of lines and bands */
  marker_path (cr, shape, x, y, size);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_set_line_width (cr, 3.0);
  cairo_stroke_preserve (cr);
  gboolean hollow = shape == 4 || shape == 5;
  if (hollow)
    {
      cairo_fill_preserve (cr);
      cairo_set_source_rgb (cr, c.r, c.g, c.b);
      cairo_set_line_width (cr, 2.0);
      cairo_stroke (cr);
    }
  else
    {
      cairo_set_source_rgb (cr, c.r, c.g, c.b);
      cairo_fill (cr);
    }
  cairo_restore (cr);
}

void
psim_chart_series_fill (cairo_t *cr, int series, double x, double y, double w, double h)
{
  int style = (series % N_STYLES + N_STYLES) % N_STYLES;
  PsimRgb c = psim_chart_series_colour (series);
  /* 85% of the colour on white, computed here so that every format shows the same */
  double r = 0.15 + 0.85 * c.r, g = 0.15 + 0.85 * c.g, b = 0.15 + 0.85 * c.b;
  if (style == 0)
    r = g = b = 0.22; /* the baseline: dark grey, so that its black whisker stays visible */
  double luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;

  cairo_save (cr);
  cairo_rectangle (cr, x, y, w, h);
  cairo_clip (cr);
  cairo_set_source_rgb (cr, r, g, b);
  cairo_paint (cr);

  cairo_set_dash (cr, NULL, 0, 0);
  if (luminance < 0.55)
    cairo_set_source_rgba (cr, 1, 1, 1, 0.85);
  else
    cairo_set_source_rgba (cr, 0, 0, 0, 0.55);
  cairo_set_line_width (cr, 1.6);
  const double gap = 7.0;
  /* 1 "/", 2 "\\", 3 both, 4 horizontal, 5 vertical, 6 dots, 7 a grid */
  gboolean rising = style == 1 || style == 3, falling = style == 2 || style == 3;
  gboolean across = style == 4 || style == 7, down = style == 5 || style == 7;
  for (double t = -h; (rising || falling) && t < w + h; t += gap)
    {
      if (rising)
        {
          cairo_move_to (cr, x + t, y + h);
          cairo_line_to (cr, x + t + h, y);
        }
      if (falling)
        {
          cairo_move_to (cr, x + t, y);
          cairo_line_to (cr, x + t + h, y + h);
        }
    }
  for (double t = gap / 2; across && t < h; t += gap)
    {
      cairo_move_to (cr, x, y + t);
      cairo_line_to (cr, x + w, y + t);
    }
  for (double t = gap / 2; down && t < w; t += gap)
    {
      cairo_move_to (cr, x + t, y);
      cairo_line_to (cr, x + t, y + h);
    }
  if (style == 6)
    {
      for (double yy = y + gap / 2; yy < y + h; yy += gap)
        for (double xx = x + gap / 2; xx < x + w; xx += gap)
          {
            cairo_new_sub_path (cr);
            cairo_arc (cr, xx, yy, 1.4, 0, 2 * G_PI);
          }
      cairo_fill (cr);
    }
  cairo_stroke (cr);
  cairo_restore (cr);

  cairo_save (cr);
  cairo_set_dash (cr, NULL, 0, 0);
  cairo_rectangle (cr, x, y, w, h);
  cairo_set_source_rgb (cr, r * 0.6, g * 0.6, b * 0.6);
  cairo_set_line_width (cr, 1.0);
  cairo_stroke (cr);
  cairo_restore (cr);
}

/* ---------- text ---------- */

static PangoLayout *
make_layout (cairo_t *cr, const char *text, double size, PsimFontWeight weight, double wrap, double ax)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  /* the same metrics in every format: no hinting of metrics or outlines */
  cairo_font_options_t *fo = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (fo, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (fo, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_antialias (fo, CAIRO_ANTIALIAS_GRAY);
  pango_cairo_context_set_font_options (pango_layout_get_context (layout), fo);
  cairo_font_options_destroy (fo);
  pango_layout_context_changed (layout);

  PangoFontDescription *fd = pango_font_description_new ();
  pango_font_description_set_family (fd, "DejaVu Sans");
  pango_font_description_set_absolute_size (fd, size * PANGO_SCALE);
  pango_font_description_set_weight (fd, weight == PSIM_FONT_BOLD ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (layout, fd);
  pango_font_description_free (fd);
  if (wrap > 0)
    {
      pango_layout_set_width (layout, (int) (wrap * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
      /* wrapped lines line up with the anchor: centred under a centre, ... */
      pango_layout_set_alignment (layout, ax > 0.75 ? PANGO_ALIGN_RIGHT : ax > 0.25 ? PANGO_ALIGN_CENTER
                                                                                    : PANGO_ALIGN_LEFT);
    }
  pango_layout_set_text (layout, text, -1);
  return layout;
}

double
psim_chart_text (cairo_t *cr, const char *text, double size, PsimFontWeight weight, PsimRgb colour, double x,
                 double y, double ax, double ay, double wrap, gboolean draw)
{
  PangoLayout *layout = make_layout (cr, text, size, weight, wrap, ax);
  PangoRectangle logical;
  pango_layout_get_extents (layout, NULL, &logical);
  double w = (double) logical.width / PANGO_SCALE;
  double h = (double) logical.height / PANGO_SCALE;
  if (draw)
    {
      cairo_save (cr);
      cairo_set_source_rgb (cr, colour.r, colour.g, colour.b);
      cairo_move_to (cr, x - ax * w - (double) logical.x / PANGO_SCALE, y - ay * h);
      pango_cairo_show_layout (cr, layout);
      cairo_restore (cr);
    }
  g_object_unref (layout);
  return h;
}

double
psim_chart_text_width (cairo_t *cr, const char *text, double size, PsimFontWeight weight)
{
  PangoLayout *layout = make_layout (cr, text, size, weight, 0, 0);
  PangoRectangle logical;
  pango_layout_get_extents (layout, NULL, &logical);
  g_object_unref (layout);
  return (double) logical.width / PANGO_SCALE;
}

/* ---------- axes ---------- */

void
psim_chart_ticks (double lo, double hi, int target, PsimTicks *out)
{
  if (!isfinite (lo) || !isfinite (hi))
    lo = 0, hi = 1;
  if (hi < lo)
    {
      double t = lo;
      lo = hi;
      hi = t;
    }
  if (hi - lo < 1e-12)
    {
      double pad = fabs (hi) > 1e-12 ? fabs (hi) * 0.1 : 1;
      lo -= lo < 0 ? pad : 0;
      hi += pad;
    }
  double rough = (hi - lo) / MAX (target, 1);
  double magnitude = pow (10, floor (log10 (rough)));
  double norm = rough / magnitude;
  double step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * magnitude;
  out->step = step;
  out->lo = floor (lo / step + 1e-9) * step;
  out->hi = ceil (hi / step - 1e-9) * step;
  out->n = (int) lround ((out->hi - out->lo) / step) + 1;
}

double
psim_plot_x (const PsimPlotArea *a, double v)
{
  return a->x + (v - a->x0) / (a->x1 - a->x0) * a->w;
}

double
psim_plot_y (const PsimPlotArea *a, double v)
{
  return a->y + a->h - (v - a->y0) / (a->y1 - a->y0) * a->h;
}

/* TRUE when no two neighbouring labels come closer than gap. */
static gboolean
year_labels_apart (const GArray *labels, double gap)
{
  for (guint i = 1; i < labels->len; i++)
    if (g_array_index (labels, PsimYearLabel, i).left - g_array_index (labels, PsimYearLabel, i - 1).right < gap)
      return FALSE;
  return TRUE;
}

GArray *
psim_chart_year_labels (cairo_t *cr, const PsimPlotArea *area, int first, int last, double size, double gap)
{
  GArray *labels = g_array_new (FALSE, FALSE, sizeof (PsimYearLabel));
  if (last < first)
    return labels;
  int n = last - first + 1;
  g_autofree PsimYearLabel *all = g_new (PsimYearLabel, n);
  for (int i = 0; i < n; i++)
    {
      char text[16];
      g_snprintf (text, sizeof text, "%d", first + i);
      double w = psim_chart_text_width (cr, text, size, PSIM_FONT_REGULAR);
      all[i].year = first + i;
      all[i].x = psim_plot_x (area, first + i);
      all[i].left = all[i].x - w / 2;
      all[i].right = all[i].x + w / 2;
    }
  g_array_append_val (labels, all[0]);
  if (n == 1)
    return labels;
  /* every k-th year from the first, for k = 1, 2, 5, 10, 20, 50, ... until
   * the labels keep apart; k >= n - 1 leaves the first and the last alone */
  static const int mantissa[] = { 1, 2, 5 };
  for (int m = 0;; m++)
    {
      int k = mantissa[m % 3];
      for (int e = 0; e < m / 3; e++)
        k *= 10;
      g_array_set_size (labels, 0);
      for (int i = 0; i < n - 1; i += k)
        g_array_append_val (labels, all[i]);
      /* the last year always, so that the reader sees where the run ends */
      if (labels->len > 1
          && all[n - 1].left - g_array_index (labels, PsimYearLabel, labels->len - 1).right < gap)
        g_array_set_size (labels, labels->len - 1);
      g_array_append_val (labels, all[n - 1]);
      if (year_labels_apart (labels, gap))
        return labels;
      if (k >= n - 1)
        break;
    }
  /* not even the first and the last fit side by side */
  g_array_set_size (labels, 0);
  g_array_append_val (labels, all[0]);
  return labels;
}

char *
psim_chart_tick_label (PsimLang lang, PsimMetricKind kind, double value, double step)
{
  if (fabs (value) < step * 1e-6)
    value = 0;
  int decimals;
  if (kind == PSIM_KIND_SHARE)
    decimals = step * 100 < 0.999 ? (int) ceil (-log10 (step * 100) - 1e-9) : 0;
  else
    decimals = step < 0.999 ? (int) ceil (-log10 (step) - 1e-9) : 0;
  return psim_format_value (lang, kind, value, decimals);
}

/* ---------- caption ---------- */

char *
psim_chart_scenario_text (const PsimChartData *d, int s, PsimLang lang)
{
  const char *label = psim_chart_data_scenario_label (d, s, lang);
  if (s != 0)
    return g_strdup (label);
  if (strcmp (label, "baseline") == 0)
    return g_strdup (psim_text (lang, PSIM_T_BASELINE_NAME));
  return g_strdup_printf ("%s %s", label, psim_text (lang, PSIM_T_BASELINE_SUFFIX));
}

PsimChartUncertainty
psim_chart_uncertainty (const PsimChartData *d)
{
  const char *u = d->manifest->uncertainty;
  if (g_strcmp0 (u, "stochastic only") == 0)
    return PSIM_CHART_UNCERTAINTY_CHANCE;
  if (u != NULL && g_str_has_prefix (u, "stochastic and parametric"))
    return PSIM_CHART_UNCERTAINTY_PARAMETERS;
  return PSIM_CHART_UNCERTAINTY_UNKNOWN;
}

char *
psim_chart_interval_note (const PsimChartData *d, PsimLang lang, PsimTextId note)
{
  static const PsimTextId holds[] = {
    [PSIM_CHART_UNCERTAINTY_UNKNOWN] = PSIM_T_NONE,
    [PSIM_CHART_UNCERTAINTY_CHANCE] = PSIM_T_INTERVAL_CHANCE,
    [PSIM_CHART_UNCERTAINTY_PARAMETERS] = PSIM_T_INTERVAL_PARAMETERS,
  };
  PsimTextId held = holds[psim_chart_uncertainty (d)];
  if (held == PSIM_T_NONE)
    return g_strdup (psim_text (lang, note));
  return g_strjoin (" ", psim_text (lang, note), psim_text (lang, held), NULL);
}

char *
psim_chart_caption (const PsimChartData *d, PsimLang lang)
{
  const PsimChartManifest *m = d->manifest;
  GString *list = g_string_new (NULL);
  for (int s = 0; s < psim_chart_data_n_scenarios (d); s++)
    {
      if (s > 0)
        g_string_append (list, "; ");
      g_autofree char *text = psim_chart_scenario_text (d, s, lang);
      g_string_append (list, text);
      if (strcmp (psim_chart_data_scenario_label (d, s, lang), psim_chart_data_scenario_name (d, s)) != 0)
        g_string_append_printf (list, " [%s]", psim_chart_data_scenario_name (d, s));
    }
  /* the data files with a short hash; municipality files only counted, so
   * that a national run's caption stays short */
  GString *inputs = g_string_new (NULL);
  int municipality_files = 0;
  for (guint i = 0; i < m->inputs->len; i++)
    {
      const PsimChartManifestInput *in = g_ptr_array_index (m->inputs, i);
      if (g_strcmp0 (in->role, "municipality") == 0)
        {
          municipality_files++;
          continue;
        }
      g_autofree char *base = g_path_get_basename (in->path);
      if (inputs->len > 0)
        g_string_append (inputs, ", ");
      g_string_append (inputs, base);
      if (in->sha256 != NULL && strlen (in->sha256) >= 12)
        g_string_append_printf (inputs, " (SHA-256 %.12s\xe2\x80\xa6)", in->sha256);
    }
  if (municipality_files > 0)
    {
      g_autofree char *n = g_strdup_printf ("%d", municipality_files);
      g_autofree char *files = psim_text_fill (psim_text (lang, PSIM_T_CAPTION_MUNICIPALITY_FILES), "n", n, NULL);
      g_string_append_printf (inputs, "%s%s; %s", inputs->len > 0 ? ", " : "", files,
                              psim_text (lang, PSIM_T_CAPTION_HASHES));
    }
  const char *unknown = psim_text (lang, PSIM_T_UNKNOWN);
  int replications = m->replications > 0 ? m->replications : d->n_replications;
  g_autofree char *n = g_strdup_printf ("%d", replications);
  g_autofree char *a = psim_text_fill (psim_text (lang, PSIM_T_CAPTION_SCENARIOS), "list", list->str, NULL);
  g_autofree char *b = psim_text_fill (psim_text (lang, replications == 1 ? PSIM_T_CAPTION_RUN_ONE : PSIM_T_CAPTION_RUNS),
                                       "n", n, "seed",
                                       m->seed != NULL ? m->seed : unknown, NULL);
  g_autofree char *c = psim_text_fill (psim_text (lang, PSIM_T_CAPTION_MODEL), "version",
                                       m->version != NULL ? m->version : unknown, NULL);
  g_autofree char *e = psim_text_fill (psim_text (lang, PSIM_T_CAPTION_DATA), "inputs",
                                       inputs->len > 0 ? inputs->str : unknown, NULL);
  const char *f = psim_text (lang, d->summary != NULL ? PSIM_T_CAPTION_FROM_SUMMARY : PSIM_T_CAPTION_FROM_ANNUAL);
  g_string_free (list, TRUE);
  g_string_free (inputs, TRUE);
  return g_strjoin (" ", a, b, c, e, f, NULL);
}
