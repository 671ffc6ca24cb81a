/* permitsim: the six comparison charts, drawn on any cairo context at
 * PSIM_CHART_WIDTH user units wide. Scenarios are told apart by colour, dash
 * pattern and marker (lines) or hatching (bars); every axis names its unit;
 * every chart carries the caption of chart_draw.c. Turning a drawing into
 * SVG, PNG or PDF files is chart_output.c's. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "chart_private.h"
#include "permitsim/error.h"

#define W PSIM_CHART_WIDTH
#define MARGIN 36.0
#define BAND_ALPHA 0.14

static const PsimRgb ink = { 0.10, 0.10, 0.10 };
static const PsimRgb muted = { 0.33, 0.33, 0.33 };
static const PsimRgb grid = { 0.86, 0.86, 0.86 };
static const PsimRgb axis = { 0.30, 0.30, 0.30 };

typedef struct {
  cairo_t *cr;
  const PsimChartData *data;
  PsimLang lang;
  int year_index;
  double y; /* where the next element starts */
} Canvas;

static const char *const stems[PSIM_N_CHARTS] = {
  "workers-by-sector", "violence", "reporting-testing", "exploitation", "places-waiting", "net-moves",
};

const char *
psim_chart_file_stem (PsimChartId chart)
{
  g_return_val_if_fail ((int) chart >= 0 && chart < PSIM_N_CHARTS, "chart");
  return stems[chart];
}

gboolean
psim_chart_available (const PsimChartData *data, PsimChartId chart)
{
  if (chart == PSIM_CHART_NET_MOVES)
    return data->municipalities->len >= 2;
  return TRUE;
}

/* ---------- common parts ---------- */

static void
header (Canvas *c, PsimTextId title, const char *subtitle)
{
  c->y += psim_chart_text (c->cr, psim_text (c->lang, title), 30, PSIM_FONT_BOLD, ink, MARGIN, c->y, 0, 0,
                           W - 2 * MARGIN, TRUE);
  c->y += 4;
  c->y += psim_chart_text (c->cr, subtitle, 18, PSIM_FONT_REGULAR, muted, MARGIN, c->y, 0, 0, W - 2 * MARGIN, TRUE);
  c->y += 18;
}

static char *
subtitle_text (Canvas *c, PsimTextId id)
{
  g_autofree char *year = g_strdup_printf ("%d", psim_chart_data_year (c->data, c->year_index));
  return psim_text_fill (psim_text (c->lang, id), "year", year, "region", psim_text (c->lang, PSIM_T_WHOLE_REGION),
                         NULL);
}

static char *
legend_label (Canvas *c, int s)
{
  return psim_chart_scenario_text (c->data, s, c->lang);
}

/* The scenarios, each with its line sample (and band) or its hatched swatch. */
static void
legend (Canvas *c, gboolean bars, PsimTextId note)
{
  const double row_h = 28, sample_w = 52, size = 17;
  double x = MARGIN;
  for (int s = 0; s < psim_chart_data_n_scenarios (c->data); s++)
    {
      g_autofree char *label = legend_label (c, s);
      double tw = psim_chart_text_width (c->cr, label, size, PSIM_FONT_REGULAR);
      double item_w = sample_w + 10 + tw;
      if (x > MARGIN && x + item_w > W - MARGIN)
        {
          x = MARGIN;
          c->y += row_h;
        }
      double mid = c->y + row_h / 2;
      PsimRgb col = psim_chart_series_colour (s);
      if (bars)
        psim_chart_series_fill (c->cr, s, x + 8, mid - 10, sample_w - 16, 20);
      else
        {
          cairo_save (c->cr);
          cairo_set_source_rgba (c->cr, col.r, col.g, col.b, BAND_ALPHA);
          cairo_rectangle (c->cr, x, mid - 10, sample_w, 20);
          cairo_fill (c->cr);
          psim_chart_set_series_dash (c->cr, s);
          cairo_set_source_rgb (c->cr, col.r, col.g, col.b);
          cairo_set_line_width (c->cr, 2.6);
          cairo_move_to (c->cr, x + 2, mid);
          cairo_line_to (c->cr, x + sample_w - 2, mid);
          cairo_stroke (c->cr);
          cairo_restore (c->cr);
          psim_chart_series_marker (c->cr, s, x + sample_w / 2, mid, 5.5);
        }
      psim_chart_text (c->cr, label, size, PSIM_FONT_REGULAR, ink, x + sample_w + 10, mid, 0, 0.5, 0, TRUE);
      x += item_w + 30;
    }
  c->y += row_h + 4;
  g_autofree char *text = psim_chart_interval_note (c->data, c->lang, note);
  c->y += psim_chart_text (c->cr, text, 15, PSIM_FONT_REGULAR, muted, MARGIN, c->y, 0, 0, W - 2 * MARGIN, TRUE);
  c->y += 16;
}

static void
caption (Canvas *c)
{
  c->y += 14;
  cairo_save (c->cr);
  cairo_set_source_rgb (c->cr, grid.r, grid.g, grid.b);
  cairo_set_line_width (c->cr, 1);
  cairo_move_to (c->cr, MARGIN, c->y);
  cairo_line_to (c->cr, W - MARGIN, c->y);
  cairo_stroke (c->cr);
  cairo_restore (c->cr);
  c->y += 8;
  g_autofree char *text = psim_chart_caption (c->data, c->lang);
  c->y += psim_chart_text (c->cr, text, 14, PSIM_FONT_REGULAR, muted, MARGIN, c->y, 0, 0, W - 2 * MARGIN, TRUE);
}

static void
line (cairo_t *cr, PsimRgb col, double width, double x0, double y0, double x1, double y1)
{
  cairo_set_source_rgb (cr, col.r, col.g, col.b);
  cairo_set_line_width (cr, width);
  cairo_move_to (cr, x0, y0);
  cairo_line_to (cr, x1, y1);
  cairo_stroke (cr);
}

/* A y axis: grid lines, tick labels and the unit, rotated, left of the ticks. */
static void
y_axis (Canvas *c, const PsimPlotArea *a, const PsimTicks *t, PsimMetricKind kind, const char *unit,
        double unit_x)
{
  cairo_t *cr = c->cr;
  cairo_save (cr);
  cairo_set_dash (cr, NULL, 0, 0);
  for (int k = 0; k < t->n; k++)
    {
      double v = t->lo + k * t->step;
      double y = psim_plot_y (a, v);
      line (cr, grid, 1, a->x, y, a->x + a->w, y);
      g_autofree char *label = psim_chart_tick_label (c->lang, kind, v, t->step);
      psim_chart_text (cr, label, 15, PSIM_FONT_REGULAR, muted, a->x - 8, y, 1, 0.5, 0, TRUE);
    }
  line (cr, axis, 1.2, a->x, a->y, a->x, a->y + a->h);
  cairo_translate (cr, unit_x, a->y + a->h / 2);
  cairo_rotate (cr, -G_PI / 2);
  psim_chart_text (cr, unit, 15, PSIM_FONT_REGULAR, ink, 0, 0, 0.5, 0.5, a->h, TRUE);
  cairo_restore (cr);
}

static double
tick_labels_width (Canvas *c, const PsimTicks *t, PsimMetricKind kind)
{
  double w = 0;
  for (int k = 0; k < t->n; k++)
    {
      g_autofree char *label = psim_chart_tick_label (c->lang, kind, t->lo + k * t->step, t->step);
      w = MAX (w, psim_chart_text_width (c->cr, label, 15, PSIM_FONT_REGULAR));
    }
  return w;
}

/* A 90% whisker from lo to hi at position at (vertical unless horizontal). */
static void
whisker (cairo_t *cr, gboolean horizontal, double at, double lo, double hi, double cap)
{
  for (int pass = 0; pass < 2; pass++)
    {
      if (pass == 0)
        cairo_set_source_rgb (cr, 1, 1, 1);
      else
        cairo_set_source_rgb (cr, 0, 0, 0);
      cairo_set_line_width (cr, pass == 0 ? 4.2 : 1.8);
      cairo_set_line_cap (cr, CAIRO_LINE_CAP_SQUARE);
      if (horizontal)
        {
          cairo_move_to (cr, lo, at);
          cairo_line_to (cr, hi, at);
          cairo_move_to (cr, lo, at - cap);
          cairo_line_to (cr, lo, at + cap);
          cairo_move_to (cr, hi, at - cap);
          cairo_line_to (cr, hi, at + cap);
        }
      else
        {
          cairo_move_to (cr, at, lo);
          cairo_line_to (cr, at, hi);
          cairo_move_to (cr, at - cap, lo);
          cairo_line_to (cr, at + cap, lo);
          cairo_move_to (cr, at - cap, hi);
          cairo_line_to (cr, at + cap, hi);
        }
      cairo_stroke (cr);
    }
}

/* ---------- lines over time with 90% bands ---------- */

typedef struct {
  PsimMetricId metric;
  PsimTextId unit;
} Panel;

static void
metric_range (Canvas *c, PsimMetricId m, double *lo, double *hi)
{
  for (int s = 0; s < psim_chart_data_n_scenarios (c->data); s++)
    for (int y = 0; y < c->data->n_years; y++)
      {
        PsimBand b;
        psim_chart_data_band (c->data, s, y, m, &b);
        if (b.n == 0)
          continue;
        *lo = fmin (*lo, fmin (b.p05, b.median));
        *hi = fmax (*hi, fmax (b.p95, b.median));
      }
}

static void
series_lines (Canvas *c, const PsimPlotArea *a, PsimMetricId m)
{
  cairo_t *cr = c->cr;
  const PsimChartData *d = c->data;
  int n_s = psim_chart_data_n_scenarios (d), n_y = d->n_years;
  g_autofree PsimBand *bands = g_new (PsimBand, (gsize) n_s * (gsize) n_y);
  for (int s = 0; s < n_s; s++)
    for (int y = 0; y < n_y; y++)
      psim_chart_data_band (d, s, y, m, &bands[s * n_y + y]);

  cairo_save (cr);
  cairo_rectangle (cr, a->x - 8, a->y - 8, a->w + 16, a->h + 16);
  cairo_clip (cr);
  /* bands first, all of them, so that no band covers a line; a band the same
   * as an earlier scenario's is not drawn again (it would only darken it) */
  for (int s = 0; s < n_s; s++)
    {
      gboolean repeat = FALSE;
      for (int e = 0; e < s && !repeat; e++)
        repeat = memcmp (&bands[e * n_y], &bands[s * n_y], sizeof (PsimBand) * (gsize) n_y) == 0;
      if (repeat)
        continue;
      PsimRgb col = psim_chart_series_colour (s);
      cairo_set_source_rgba (cr, col.r, col.g, col.b, BAND_ALPHA);
      for (int y = 0; y < n_y; y++)
        {
          if (bands[s * n_y + y].n == 0 || (y > 0 && bands[s * n_y + y - 1].n > 0))
            continue;
          int end = y;
          while (end + 1 < n_y && bands[s * n_y + end + 1].n > 0)
            end++;
          double year0 = d->first_year;
          if (end == y) /* one year alone: a short bar */
            {
              double x = psim_plot_x (a, year0 + y);
              double top = psim_plot_y (a, bands[s * n_y + y].p95);
              double bottom = psim_plot_y (a, bands[s * n_y + y].p05);
              cairo_rectangle (cr, x - 4, top, 8, bottom - top);
            }
          else
            {
              for (int k = y; k <= end; k++)
                cairo_line_to (cr, psim_plot_x (a, year0 + k), psim_plot_y (a, bands[s * n_y + k].p95));
              for (int k = end; k >= y; k--)
                cairo_line_to (cr, psim_plot_x (a, year0 + k), psim_plot_y (a, bands[s * n_y + k].p05));
              cairo_close_path (cr);
            }
          cairo_fill (cr);
        }
    }
  for (int s = 0; s < n_s; s++)
    {
      PsimRgb col = psim_chart_series_colour (s);
      psim_chart_set_series_dash (cr, s);
      cairo_set_source_rgb (cr, col.r, col.g, col.b);
      cairo_set_line_width (cr, 2.8);
      gboolean drawing = FALSE;
      for (int y = 0; y < n_y; y++)
        {
          const PsimBand *b = &bands[s * n_y + y];
          if (b->n == 0)
            {
              drawing = FALSE;
              continue;
            }
          double x = psim_plot_x (a, d->first_year + y), v = psim_plot_y (a, b->median);
          if (drawing)
            cairo_line_to (cr, x, v);
          else
            cairo_move_to (cr, x, v);
          drawing = TRUE;
        }
      cairo_stroke (cr);
    }
  /* markers: every year while there are few, else about ten, staggered per scenario */
  int every = n_y <= 12 ? 1 : (n_y + 9) / 10;
  for (int s = 0; s < n_s; s++)
    for (int y = 0; y < n_y; y++)
      {
        const PsimBand *b = &bands[s * n_y + y];
        if (b->n > 0 && (y + s) % every == 0)
          psim_chart_series_marker (cr, s, psim_plot_x (a, d->first_year + y), psim_plot_y (a, b->median), 5);
      }
  cairo_restore (cr);
}

static void
year_axis (Canvas *c, const PsimPlotArea *a)
{
  cairo_t *cr = c->cr;
  const PsimChartData *d = c->data;
  const double size = 15, gap = 10; /* a gap of about one digit between year labels */
  cairo_save (cr);
  line (cr, axis, 1.2, a->x, a->y + a->h, a->x + a->w, a->y + a->h);
  /* as many years as fit without touching: narrow panels over many years skip some */
  g_autoptr (GArray) labels = psim_chart_year_labels (cr, a, d->first_year, d->first_year + d->n_years - 1, size,
                                                      gap);
  for (guint i = 0; i < labels->len; i++)
    {
      const PsimYearLabel *l = &g_array_index (labels, PsimYearLabel, i);
      line (cr, axis, 1.2, l->x, a->y + a->h, l->x, a->y + a->h + 5);
      g_autofree char *label = g_strdup_printf ("%d", l->year);
      psim_chart_text (cr, label, size, PSIM_FONT_REGULAR, muted, l->x, a->y + a->h + 8, 0.5, 0, 0, TRUE);
    }
  psim_chart_text (cr, psim_text (c->lang, PSIM_T_YEAR), 15, PSIM_FONT_REGULAR, ink, a->x + a->w / 2,
                   a->y + a->h + 32, 0.5, 0, 0, TRUE);
  cairo_restore (cr);
}

static void
time_panels (Canvas *c, const Panel *panels, int n, gboolean shared_scale, double height)
{
  const double gap = 44;
  double pw = (W - 2 * MARGIN - gap * (n - 1)) / n;
  double lo[4], hi[4];
  g_assert (n <= 4);
  for (int i = 0; i < n; i++)
    {
      lo[i] = 0, hi[i] = 0;
      metric_range (c, panels[i].metric, &lo[i], &hi[i]);
    }
  if (shared_scale)
    for (int i = 1; i < n; i++)
      {
        lo[0] = fmin (lo[0], lo[i]);
        hi[0] = fmax (hi[0], hi[i]);
      }
  double title_h = 0;
  for (int i = 0; i < n; i++)
    title_h = MAX (title_h, psim_chart_text (c->cr, psim_metric_label (c->lang, panels[i].metric), 19,
                                             PSIM_FONT_BOLD, ink, 0, 0, 0, 0, pw, FALSE));
  double top = c->y;
  double plot_h = height - (title_h + 16) - 64;
  for (int i = 0; i < n; i++)
    {
      double px = MARGIN + i * (pw + gap);
      /* the unit, rotated, may wrap: reserve the width it takes */
      double unit_w = psim_chart_text (c->cr, psim_text (c->lang, panels[i].unit), 15, PSIM_FONT_REGULAR, ink, 0, 0,
                                       0, 0, plot_h, FALSE) + 4;
      PsimMetricKind kind = psim_metric (panels[i].metric)->kind;
      PsimTicks t;
      int k = shared_scale ? 0 : i;
      psim_chart_ticks (lo[k], hi[k], 5, &t);
      psim_chart_text (c->cr, psim_metric_label (c->lang, panels[i].metric), 19, PSIM_FONT_BOLD, ink, px, top, 0, 0,
                       pw, TRUE);
      PsimPlotArea a;
      a.x = px + unit_w + 10 + tick_labels_width (c, &t, kind) + 8;
      a.w = px + pw - a.x - 10;
      a.y = top + title_h + 16;
      a.h = plot_h;
      a.y0 = t.lo;
      a.y1 = t.hi;
      a.x0 = c->data->first_year;
      a.x1 = a.x0 + MAX (c->data->n_years - 1, 1);
      if (c->data->n_years == 1)
        a.x0 -= 0.5, a.x1 = a.x0 + 1;
      y_axis (c, &a, &t, kind, psim_text (c->lang, panels[i].unit), px + unit_w / 2);
      year_axis (c, &a);
      series_lines (c, &a, panels[i].metric);
    }
  c->y = top + height;
}

/* ---------- bars for one year ---------- */

static void
violence_bars (Canvas *c, double height)
{
  static const PsimMetricId types[] = { PSIM_M_PHYSICAL_12M, PSIM_M_SEXUAL_12M, PSIM_M_FINANCIAL_12M,
                                        PSIM_M_SOCIAL_12M };
  const int n_t = G_N_ELEMENTS (types);
  const PsimChartData *d = c->data;
  int n_s = psim_chart_data_n_scenarios (d);
  double lo = 0, hi = 0;
  for (int s = 0; s < n_s; s++)
    for (int k = 0; k < n_t; k++)
      {
        PsimBand b;
        psim_chart_data_band (d, s, c->year_index, types[k], &b);
        if (b.n > 0)
          hi = fmax (hi, fmax (b.p95, b.median));
      }
  PsimTicks t;
  psim_chart_ticks (lo, hi, 5, &t);
  const char *unit = psim_text (c->lang, PSIM_T_U_PCT_WORKERS_12M);
  double plot_h = height - 22 - 96;
  double unit_w = psim_chart_text (c->cr, unit, 15, PSIM_FONT_REGULAR, ink, 0, 0, 0, 0, plot_h, FALSE) + 4;
  PsimPlotArea a;
  a.x = MARGIN + unit_w + 10 + tick_labels_width (c, &t, PSIM_KIND_SHARE) + 8;
  a.w = W - MARGIN - a.x;
  a.y = c->y + 22; /* room for the value labels of the highest bars */
  a.h = plot_h;
  a.x0 = 0, a.x1 = 1, a.y0 = t.lo, a.y1 = t.hi;
  y_axis (c, &a, &t, PSIM_KIND_SHARE, unit, MARGIN + unit_w / 2);

  cairo_t *cr = c->cr;
  double group_w = a.w / n_t;
  double bar_w = group_w * 0.84 / n_s;
  for (int k = 0; k < n_t; k++)
    {
      double gx = a.x + k * group_w + group_w * 0.08;
      for (int s = 0; s < n_s; s++)
        {
          PsimBand b;
          psim_chart_data_band (d, s, c->year_index, types[k], &b);
          if (b.n == 0)
            continue;
          double bx = gx + s * bar_w + bar_w * 0.07, bw = bar_w * 0.86;
          double top = psim_plot_y (&a, b.median), base = psim_plot_y (&a, 0);
          psim_chart_series_fill (cr, s, bx, top, bw, base - top);
          double cx = bx + bw / 2;
          if (b.n >= 2 && b.p95 > b.p05)
            whisker (cr, FALSE, cx, psim_plot_y (&a, b.p05), psim_plot_y (&a, b.p95), MIN (8, bw * 0.3));
          g_autofree char *label = psim_format_value (c->lang, PSIM_KIND_SHARE, b.median,
                                                      psim_format_decimals (PSIM_KIND_SHARE, &b));
          if (psim_chart_text_width (cr, label, 15, PSIM_FONT_BOLD) < bar_w - 2)
            psim_chart_text (cr, label, 15, PSIM_FONT_BOLD, ink, cx, psim_plot_y (&a, fmax (b.p95, b.median)) - 4,
                             0.5, 1, 0, TRUE);
        }
      psim_chart_text (cr, psim_metric_label (c->lang, types[k]), 17, PSIM_FONT_REGULAR, ink,
                       a.x + (k + 0.5) * group_w, a.y + a.h + 10, 0.5, 0, group_w - 12, TRUE);
    }
  line (cr, axis, 1.2, a.x, a.y + a.h, a.x + a.w, a.y + a.h);
  psim_chart_text (cr, psim_text (c->lang, PSIM_T_U_VIOLENCE_TYPE), 15, PSIM_FONT_REGULAR, ink, a.x + a.w / 2,
                   a.y + a.h + 66, 0.5, 0, 0, TRUE);
  c->y = a.y + a.h + 96;
}

typedef struct {
  int municipality;
  double key;
} RowOrder;

static int
compare_rows (const void *pa, const void *pb)
{
  const RowOrder *a = pa, *b = pb;
  if (isnan (a->key) != isnan (b->key))
    return isnan (a->key) ? 1 : -1;
  if (a->key != b->key && !isnan (a->key))
    return a->key > b->key ? -1 : 1;
  return a->municipality - b->municipality;
}

static void
net_moves_bars (Canvas *c)
{
  cairo_t *cr = c->cr;
  const PsimChartData *d = c->data;
  int n_s = psim_chart_data_n_scenarios (d), n_u = (int) d->municipalities->len;
  g_autofree PsimBand *bands = g_new (PsimBand, (gsize) n_s * (gsize) n_u);
  g_autofree RowOrder *order = g_new (RowOrder, (gsize) n_u);
  double lo = 0, hi = 0, label_w = 0;
  for (int u = 0; u < n_u; u++)
    {
      for (int s = 0; s < n_s; s++)
        {
          PsimBand *b = &bands[s * n_u + u];
          psim_chart_data_net_moves_band (d, s, c->year_index, u, b);
          if (b->n > 0)
            {
              lo = fmin (lo, fmin (b->p05, b->median));
              hi = fmax (hi, fmax (b->p95, b->median));
            }
        }
      order[u].municipality = u;
      order[u].key = bands[u].n > 0 ? bands[u].median : NAN; /* the baseline's median */
      label_w = MAX (label_w, psim_chart_text_width (cr, g_ptr_array_index (d->municipalities, u), 16,
                                                     PSIM_FONT_REGULAR));
    }
  qsort (order, (gsize) n_u, sizeof (RowOrder), compare_rows);
  PsimTicks t;
  psim_chart_ticks (lo, hi, 6, &t);

  const double row_h = MAX (40.0, n_s * 20.0 + 16);
  PsimPlotArea a;
  a.x = MARGIN + MIN (label_w, 320) + 16;
  a.w = W - MARGIN - a.x - 10;
  a.y = c->y + 30;
  a.h = n_u * row_h;
  a.x0 = t.lo, a.x1 = t.hi, a.y0 = 0, a.y1 = 1;
  psim_chart_text (cr, psim_text (c->lang, PSIM_T_U_MUNICIPALITY), 15, PSIM_FONT_BOLD, ink, a.x - 16, c->y, 1, 0, 0,
                   TRUE);

  cairo_save (cr);
  for (int k = 0; k < n_u; k++)
    if (k % 2 == 1)
      {
        cairo_set_source_rgb (cr, 0.965, 0.965, 0.965);
        cairo_rectangle (cr, MARGIN, a.y + k * row_h, W - 2 * MARGIN, row_h);
        cairo_fill (cr);
      }
  for (int k = 0; k < t.n; k++)
    {
      double v = t.lo + k * t.step, x = psim_plot_x (&a, v);
      line (cr, grid, 1, x, a.y, x, a.y + a.h);
      g_autofree char *label = psim_chart_tick_label (c->lang, PSIM_KIND_COUNT, v, t.step);
      psim_chart_text (cr, label, 15, PSIM_FONT_REGULAR, muted, x, a.y + a.h + 8, 0.5, 0, 0, TRUE);
    }
  for (int k = 0; k < n_u; k++)
    {
      int u = order[k].municipality;
      double row_top = a.y + k * row_h;
      psim_chart_text (cr, g_ptr_array_index (d->municipalities, u), 16, PSIM_FONT_REGULAR, ink, a.x - 16,
                       row_top + row_h / 2, 1, 0.5, 320, TRUE);
      double bar_h = (row_h - 16) / n_s;
      for (int s = 0; s < n_s; s++)
        {
          const PsimBand *b = &bands[s * n_u + u];
          if (b->n == 0)
            continue;
          double by = row_top + 8 + s * bar_h + bar_h * 0.1, bh = bar_h * 0.8;
          double x0 = psim_plot_x (&a, 0), x1 = psim_plot_x (&a, b->median);
          if (fabs (x1 - x0) > 0.01)
            psim_chart_series_fill (cr, s, MIN (x0, x1), by, fabs (x1 - x0), bh);
          if (b->n >= 2 && b->p95 > b->p05)
            whisker (cr, TRUE, by + bh / 2, psim_plot_x (&a, b->p05), psim_plot_x (&a, b->p95), MIN (5, bh * 0.4));
        }
    }
  double zero = psim_plot_x (&a, 0);
  line (cr, axis, 2, zero, a.y - 4, zero, a.y + a.h + 4);
  line (cr, axis, 1.2, a.x, a.y + a.h, a.x + a.w, a.y + a.h);
  cairo_restore (cr);
  psim_chart_text (cr, psim_text (c->lang, PSIM_T_U_NET_MOVES), 15, PSIM_FONT_REGULAR, ink, a.x + a.w / 2,
                   a.y + a.h + 32, 0.5, 0, 0, TRUE);
  c->y = a.y + a.h + 60;
}

/* ---------- the six charts ---------- */

double
psim_chart_draw (cairo_t *cr, const PsimChartData *d, PsimChartId chart, PsimLang lang, int year_index)
{
  Canvas c = { cr, d, lang, year_index, MARGIN };
  const double panel_h = 430;
  switch (chart)
    {
    case PSIM_CHART_WORKERS_BY_SECTOR:
      {
        static const Panel p[] = { { PSIM_M_LICENSED, PSIM_T_U_WORKERS },
                                   { PSIM_M_UNLICENSED, PSIM_T_U_WORKERS },
                                   { PSIM_M_ILLEGAL, PSIM_T_U_WORKERS } };
        g_autofree char *sub = subtitle_text (&c, PSIM_T_WORKERS_SUB);
        header (&c, PSIM_T_WORKERS_TITLE, sub);
        legend (&c, FALSE, PSIM_T_BAND_NOTE);
        time_panels (&c, p, G_N_ELEMENTS (p), FALSE, panel_h);
      }
      break;
    case PSIM_CHART_VIOLENCE:
      {
        g_autofree char *sub = subtitle_text (&c, PSIM_T_VIOLENCE_SUB);
        header (&c, PSIM_T_VIOLENCE_TITLE, sub);
        legend (&c, TRUE, PSIM_T_WHISKER_NOTE);
        violence_bars (&c, 520);
      }
      break;
    case PSIM_CHART_REPORTING_TESTING:
      {
        static const Panel p[] = { { PSIM_M_REPORTING_RATE, PSIM_T_U_PCT_INCIDENTS },
                                   { PSIM_M_TESTED_12M, PSIM_T_U_PCT_WORKERS_12M } };
        g_autofree char *sub = subtitle_text (&c, PSIM_T_REPTEST_SUB);
        header (&c, PSIM_T_REPTEST_TITLE, sub);
        legend (&c, FALSE, PSIM_T_BAND_NOTE);
        time_panels (&c, p, G_N_ELEMENTS (p), FALSE, panel_h);
      }
      break;
    case PSIM_CHART_EXPLOITATION:
      {
        static const Panel p[] = { { PSIM_M_EXPLOITED, PSIM_T_U_PEOPLE },
                                   { PSIM_M_EXPLOITATION_DETECTED, PSIM_T_U_DETECTIONS } };
        g_autofree char *sub = subtitle_text (&c, PSIM_T_EXPLOITATION_SUB);
        header (&c, PSIM_T_EXPLOITATION_TITLE, sub);
        legend (&c, FALSE, PSIM_T_BAND_NOTE);
        time_panels (&c, p, G_N_ELEMENTS (p), FALSE, panel_h);
      }
      break;
    case PSIM_CHART_PLACES_WAITING:
      {
        static const Panel p[] = { { PSIM_M_LICENSED_PLACES, PSIM_T_U_PLACES },
                                   { PSIM_M_WAITING, PSIM_T_U_APPLICANTS } };
        g_autofree char *sub = subtitle_text (&c, PSIM_T_PLACES_SUB);
        header (&c, PSIM_T_PLACES_TITLE, sub);
        legend (&c, FALSE, PSIM_T_BAND_NOTE);
        time_panels (&c, p, G_N_ELEMENTS (p), TRUE, panel_h);
      }
      break;
    case PSIM_CHART_NET_MOVES:
    default:
      {
        g_autofree char *sub = subtitle_text (&c, PSIM_T_MOVES_SUB);
        header (&c, PSIM_T_MOVES_TITLE, sub);
        legend (&c, TRUE, PSIM_T_WHISKER_NOTE);
        net_moves_bars (&c);
      }
      break;
    }
  caption (&c);
  return ceil (c.y + MARGIN * 0.6);
}

