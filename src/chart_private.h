/* permitsim: what the chart and report code share (private). The loaded
 * results (PsimChartData), the outcome table, the manifest, text and number
 * formatting, and the drawing toolkit used by every chart. The public face is
 * include/permitsim/chart.h. */
#ifndef PSIM_CHART_PRIVATE_H
#define PSIM_CHART_PRIVATE_H

#include <cairo.h>
#include <glib.h>

#include "chart_text.h"
#include "permitsim/chart.h"
#include "permitsim/model.h"

G_BEGIN_DECLS

/* ---------- outcomes ---------- */

typedef enum {
  PSIM_KIND_COUNT, /* workers, places, events: a number */
  PSIM_KIND_SHARE, /* a share in [0, 1], shown as a percentage */
  PSIM_KIND_EUROS
} PsimMetricKind;

/* X (ID, "column", KIND, label, unit): the outcome columns of annual.csv in
 * file order, then the derived ones. */
#define PSIM_METRICS(X) \
  X (WORKERS, "workers", COUNT, M_WORKERS, U_WORKERS) \
  X (LICENSED, "licensed", COUNT, M_LICENSED, U_WORKERS) \
  X (UNLICENSED, "unlicensed", COUNT, M_UNLICENSED, U_WORKERS) \
  X (ILLEGAL, "illegal", COUNT, M_ILLEGAL, U_WORKERS) \
  X (WINDOW, "window", COUNT, NONE, U_WORKERS) \
  X (CLUB, "club", COUNT, NONE, U_WORKERS) \
  X (ESCORT_AGENCY, "escort_agency", COUNT, NONE, U_WORKERS) \
  X (INDEPENDENT_LICENSED, "independent_licensed", COUNT, NONE, U_WORKERS) \
  X (HOME, "home", COUNT, NONE, U_WORKERS) \
  X (STREET_ZONE, "street_zone", COUNT, NONE, U_WORKERS) \
  X (STREET, "street", COUNT, NONE, U_WORKERS) \
  X (LICENSED_PLACES, "licensed_places", COUNT, M_LICENSED_PLACES, U_PLACES) \
  X (WINDOW_PLACES, "window_places", COUNT, NONE, U_PLACES) \
  X (CLUB_PLACES, "club_places", COUNT, NONE, U_PLACES) \
  X (ESCORT_AGENCY_PLACES, "escort_agency_places", COUNT, NONE, U_PLACES) \
  X (INDEPENDENT_LICENCES, "independent_licences", COUNT, NONE, U_PLACES) \
  X (STREET_ZONE_PLACES, "street_zone_places", COUNT, NONE, U_PLACES) \
  X (WINDOW_RENT, "window_rent", EUROS, M_WINDOW_RENT, U_EUROS_WEEK) \
  X (WAITING, "waiting", COUNT, M_WAITING, U_APPLICANTS) \
  X (MOVED_IN, "moved_in", COUNT, M_MOVED_IN, U_PER_YEAR) \
  X (MOVED_OUT, "moved_out", COUNT, M_MOVED_OUT, U_PER_YEAR) \
  X (PHYSICAL_12M, "physical_12m", SHARE, M_PHYSICAL, U_PCT_WORKERS_12M) \
  X (SEXUAL_12M, "sexual_12m", SHARE, M_SEXUAL, U_PCT_WORKERS_12M) \
  X (FINANCIAL_12M, "financial_12m", SHARE, M_FINANCIAL, U_PCT_WORKERS_12M) \
  X (SOCIAL_12M, "social_12m", SHARE, M_SOCIAL, U_PCT_WORKERS_12M) \
  X (INCIDENTS, "incidents", COUNT, M_INCIDENTS, U_INCIDENTS) \
  X (REPORTS, "reports", COUNT, M_REPORTS, U_INCIDENTS) \
  X (REPORTING_RATE, "reporting_rate", SHARE, M_REPORTING_RATE, U_PCT_INCIDENTS) \
  X (REPORTED_12M, "reported_12m", SHARE, M_REPORTED, U_PCT_WORKERS_12M) \
  X (TESTED_12M, "tested_12m", SHARE, M_TESTED, U_PCT_WORKERS_12M) \
  X (EXPLOITED, "exploited", COUNT, M_EXPLOITED, U_PEOPLE) \
  X (EXPLOITATION_DETECTED, "exploitation_detected", COUNT, M_DETECTED, U_DETECTIONS) \
  X (EXPLOITATION_EXITS, "exploitation_exits", COUNT, M_EXITS, U_PER_YEAR) \
  X (INSPECTIONS, "inspections", COUNT, M_INSPECTIONS, U_PER_YEAR) \
  X (FINES, "fines", COUNT, M_FINES, U_PER_YEAR) \
  X (EVICTIONS, "evictions", COUNT, M_EVICTIONS, U_PER_YEAR) \
  X (OUTINGS, "outings", COUNT, M_OUTINGS, U_PER_YEAR) \
  /* derived from the columns above, per replication */ \
  X (ILLEGAL_SHARE, "illegal_share", SHARE, M_ILLEGAL_SHARE, U_PCT_WORKERS)

typedef enum {
#define PSIM_METRIC_ENUM(id, name, kind, label, unit) PSIM_M_##id,
  PSIM_METRICS (PSIM_METRIC_ENUM)
#undef PSIM_METRIC_ENUM
  PSIM_N_METRICS
} PsimMetricId;

#define PSIM_N_CSV_METRICS PSIM_M_ILLEGAL_SHARE /* columns read from annual.csv */

typedef struct {
  const char *name;
  PsimMetricKind kind;
  PsimTextId label; /* PSIM_T_NONE: show the column name */
  PsimTextId unit;
} PsimMetric;

const PsimMetric *psim_metric (PsimMetricId id);
/* By column name, or -1. */
int psim_metric_lookup (const char *name);

/* ---------- the manifest ---------- */

typedef struct {
  char *name;
  char *title;       /* NULL when not given */
  PsimTitle *titles; /* by language ("titles"); none in older manifests */
  int n_titles;
  char *description; /* NULL when not given */
} PsimChartManifestScenario;

typedef struct {
  char *path;
  char *sha256;
  char *role; /* "region", "municipality", "parameters", "scenario"; NULL when not given */
} PsimChartManifestInput;

typedef struct {
  char *name;
  char *value; /* as text, as written */
  char *unit;
  char *min;
  char *max;
  char *source;
} PsimChartManifestParam;

typedef struct {
  char *version;
  char *command_line;
  char *seed;
  int replications;   /* 0 when not given */
  char *created;
  char *uncertainty;  /* how the ensemble varied, as the manifest says it */
  char *region;
  char *baseline;     /* NULL when not given */
  GPtrArray *inputs;      /* PsimChartManifestInput* */
  GPtrArray *parameters;  /* PsimChartManifestParam* */
  GPtrArray *scenarios;   /* PsimChartManifestScenario* */
} PsimChartManifest;

/* Reads manifest.json (json-glib). Unknown members are ignored; a member of
 * the wrong type is an error naming the member. */
PsimChartManifest *psim_chart_manifest_load (const char *path, GError **error);
/* In *text, the manifest at `path` with its "outputs" brought up to date:
 * `hashes` maps the files redrawn (by their path in the directory,
 * "charts/violence.svg") to their SHA-256, which replace those listed or are
 * added, in order of name; and "charts_command_line", the command that drew
 * them. *text NULL when there is nothing to bring up to date: the files are
 * those listed, byte for byte, or the manifest lists no outputs (one written
 * by hand). FALSE, with an error naming the file, for a
 * manifest that cannot be read or whose outputs are not a list of files. */
gboolean psim_chart_manifest_redrawn (const char *path, GHashTable *hashes, char *const *command_line, char **text,
                                      GError **error);
void psim_chart_manifest_free (PsimChartManifest *manifest);

/* ---------- the loaded results ---------- */

struct _PsimChartData {
  char *dir;
  GPtrArray *scenarios;      /* char* names, baseline first, then file order */
  GPtrArray *scenario_labels[PSIM_N_LANGS]; /* char*: title from the manifest in that
                                               language, else its default title, else the name */
  int *replications;         /* sorted replication numbers, n_replications of them */
  int n_replications;
  int first_year;
  int n_years;
  GPtrArray *municipalities; /* char*, file order, without "ALL" */
  /* region values: [((s * n_years + y) * n_replications + r) * PSIM_N_METRICS + m], NaN = none */
  double *region;
  /* net moves (moved_in - moved_out) per municipality:
   * [((s * n_years + y) * n_municipalities + u) * n_replications + r] */
  double *net_moves;
  /* bands from summary.csv for the region: [(s * n_years + y) * PSIM_N_METRICS + m];
   * NULL when there is no summary.csv; n == 0 where it has no row */
  PsimBand *summary;
  PsimChartManifest *manifest;
};

int psim_chart_data_n_scenarios (const PsimChartData *data);
/* The baseline is always scenario 0. */
const char *psim_chart_data_scenario_name (const PsimChartData *data, int scenario);
/* The scenario's title for charts in `lang` (see scenario_labels). */
const char *psim_chart_data_scenario_label (const PsimChartData *data, int scenario, PsimLang lang);
int psim_chart_data_year (const PsimChartData *data, int year_index);
/* The year index for options->year (0: the last year); PSIM_ERROR_USAGE when outside the results. */
gboolean psim_chart_data_year_index (const PsimChartData *data, int year, int *out, GError **error);

/* The region's band for one scenario, year and outcome: from summary.csv
 * when it has the row, else computed from annual.csv across replications. */
void psim_chart_data_band (const PsimChartData *data, int scenario, int year_index, PsimMetricId metric,
                           PsimBand *out);
/* Computed across replications from annual.csv only. */
void psim_chart_data_band_annual (const PsimChartData *data, int scenario, int year_index,
                                  PsimMetricId metric, PsimBand *out);
/* Paired difference scenario - baseline over the replications both have. */
void psim_chart_data_paired_difference (const PsimChartData *data, int scenario, int year_index,
                                        PsimMetricId metric, PsimBand *out);
void psim_chart_data_net_moves_band (const PsimChartData *data, int scenario, int year_index,
                                     int municipality, PsimBand *out);

/* ---------- words and numbers ---------- */

const char *psim_text (PsimLang lang, PsimTextId id);
/* Fills {key} placeholders: psim_text_fill (template, "key", value, ..., NULL). */
char *psim_text_fill (const char *template_text, ...) G_GNUC_NULL_TERMINATED;
/* The label of an outcome (the column name when it has none). */
const char *psim_metric_label (PsimLang lang, PsimMetricId metric);

/* A number with the language's separators (nl 12.345,6; en 12,345.6) and
 * U+2212 for minus; with_sign adds "+" to positive values. */
char *psim_format_number (PsimLang lang, double value, int decimals, gboolean with_sign);
/* The decimals that show a band of this kind sensibly. */
int psim_format_decimals (PsimMetricKind kind, const PsimBand *band);
/* A value with its unit sign: "78%", "12.345", "€ 150". */
char *psim_format_value (PsimLang lang, PsimMetricKind kind, double value, int decimals);
/* "81% (78–84)"; "–" when the band is empty. */
char *psim_format_band (PsimLang lang, PsimMetricKind kind, const PsimBand *band);
/* A difference: shares in percentage points ("+3,0 %-punt"), others as numbers. */
char *psim_format_difference (PsimLang lang, PsimMetricKind kind, double value, int decimals);
/* "+3.0 pp (+1.2 to +4.8)" */
char *psim_format_difference_band (PsimLang lang, PsimMetricKind kind, const PsimBand *band);

/* ---------- the harm check ---------- */

PsimMetricId psim_harm_rule_metric (const PsimHarmRule *rule);
/* "more sex workers experience sexual violence", for the report's sentences. */
PsimTextId psim_harm_rule_phrase (const PsimHarmRule *rule);
PsimTextId psim_harm_domain_text (PsimHarmDomain domain);

/* ---------- drawing ---------- */

#define PSIM_CHART_WIDTH 1200.0 /* user units; every chart is drawn at this width */

typedef struct {
  double r, g, b;
} PsimRgb;

/* Okabe–Ito colours; series 0 (the baseline) is black. */
PsimRgb psim_chart_series_colour (int series);
void psim_chart_set_series_dash (cairo_t *cr, int series);
void psim_chart_series_marker (cairo_t *cr, int series, double x, double y, double size);
/* Fills a rectangle in the series colour with the series' hatching. */
void psim_chart_series_fill (cairo_t *cr, int series, double x, double y, double w, double h);

typedef enum {
  PSIM_FONT_REGULAR,
  PSIM_FONT_BOLD
} PsimFontWeight;

/* Draws text (DejaVu Sans, size in user units) with its box anchored at
 * (x, y): ax, ay in [0, 1] pick the anchor within the box (0, 0 = top left).
 * wrap > 0 wraps at that width. Returns the box height. draw FALSE: only measures. */
double psim_chart_text (cairo_t *cr, const char *text, double size, PsimFontWeight weight, PsimRgb colour,
                        double x, double y, double ax, double ay, double wrap, gboolean draw);
double psim_chart_text_width (cairo_t *cr, const char *text, double size, PsimFontWeight weight);

/* Rounded tick positions covering [lo, hi]. */
typedef struct {
  double lo, hi, step;
  int n;
} PsimTicks;
void psim_chart_ticks (double lo, double hi, int target, PsimTicks *out);

typedef struct {
  double x, y, w, h;    /* the plot area in user units */
  double x0, x1, y0, y1; /* the data ranges shown */
} PsimPlotArea;

double psim_plot_x (const PsimPlotArea *area, double value);
double psim_plot_y (const PsimPlotArea *area, double value);

/* One label of a year axis: the year, where it is on the axis (the label is
 * centred there) and the extent of its text along the axis, in user units. */
typedef struct {
  int year;
  double x;
  double left, right;
} PsimYearLabel;

/* The years from first to last that get a label on the x axis of area, each
 * measured with pango at size: every k-th year counted from the first, k the
 * least of 1, 2, 5, 10, 20, 50, ... whose labels keep at least gap apart,
 * and always the last year (the regular label before it gives way when the
 * two would come closer). When not even the first and the last fit, the
 * first alone. A GArray of PsimYearLabel in year order; free with
 * g_array_unref. */
GArray *psim_chart_year_labels (cairo_t *cr, const PsimPlotArea *area, int first, int last, double size,
                                double gap);

/* A tick label for an axis of this kind. */
char *psim_chart_tick_label (PsimLang lang, PsimMetricKind kind, double value, double step);

/* A scenario as charts and the report in `lang` name it: its title in that
 * language where the manifest has one, else its default title, else its name;
 * the baseline marked as such (or "Baseline" when it has no title). Free
 * with g_free. */
char *psim_chart_scenario_text (const PsimChartData *data, int scenario, PsimLang lang);

/* Draws one chart (background not painted) and returns its height. */
double psim_chart_draw (cairo_t *cr, const PsimChartData *data, PsimChartId chart, PsimLang lang, int year_index);

/* What the intervals hold, as the manifest's "uncertainty" says (what
 * output_manifest.c writes); UNKNOWN for anything else or none. */
typedef enum {
  PSIM_CHART_UNCERTAINTY_UNKNOWN,
  PSIM_CHART_UNCERTAINTY_CHANCE,     /* "stochastic only" */
  PSIM_CHART_UNCERTAINTY_PARAMETERS, /* "stochastic and parametric (...)": --sample-parameters */
} PsimChartUncertainty;
PsimChartUncertainty psim_chart_uncertainty (const PsimChartData *data);
/* The note under a chart's legend (`note`: how median and interval are
 * drawn), and what the interval holds when the manifest says it: on the
 * chart itself, because a chart travels without its report. */
char *psim_chart_interval_note (const PsimChartData *data, PsimLang lang, PsimTextId note);

/* The caption under every chart: scenarios, replications, seed, model version, data sources. */
char *psim_chart_caption (const PsimChartData *data, PsimLang lang);

G_END_DECLS

#endif
