/* permitsim: comparison charts and the HTML report, from result files only.
 *
 * Reads a results directory (annual.csv, optionally summary.csv, and
 * manifest.json, as written by `permitsim run`), draws the comparison charts
 * with cairo and pango (SVG, PNG, PDF), checks every scenario against the
 * baseline for harm (the brochure's recommendation 4) and writes one
 * self-contained report.html. Nothing here runs the model. See docs/charts.md.
 */
#ifndef PERMITSIM_CHART_H
#define PERMITSIM_CHART_H

#include <glib.h>

G_BEGIN_DECLS

/* ---------- language ---------- */

typedef enum {
  PSIM_LANG_NL, /* the default */
  PSIM_LANG_EN,
  PSIM_N_LANGS
} PsimLang;

/* "nl" or "en" (case-insensitive); FALSE for anything else. */
gboolean psim_lang_from_string (const char *code, PsimLang *out);
const char *psim_lang_code (PsimLang lang);

/* ---------- bands ---------- */

typedef struct {
  double mean;
  double median;
  double p05;
  double p95;
  int n; /* values used; 0 when none is defined (the others are then NaN) */
} PsimBand;

/* The band of the values that are not NaN, with quantiles of R's default
 * definition (type 7, psim_quantile_type7 of summary.h). Reorders the array
 * (sorted, NaN last). */
void psim_band_compute (double *values, gsize n, PsimBand *out);

/* ---------- the results directory ---------- */

typedef struct _PsimChartData PsimChartData;

/* Loads DIR/annual.csv and DIR/manifest.json (both required) and
 * DIR/summary.csv (when present). Every problem in a file is reported as a
 * PSIM_ERROR_INVALID_INPUT error naming the file and line
 * ("DIR/annual.csv:12: error: ..."), up to a limit per file. */
PsimChartData *psim_chart_data_load (const char *dir, GError **error);
void psim_chart_data_free (PsimChartData *data);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsimChartData, psim_chart_data_free)

/* ---------- charts ---------- */

typedef enum {
  PSIM_CHART_FORMAT_SVG = 1 << 0,
  PSIM_CHART_FORMAT_PNG = 1 << 1,
  PSIM_CHART_FORMAT_PDF = 1 << 2
} PsimChartFormat;

/* "svg,png,pdf" (any subset, any order) -> a mask of PsimChartFormat;
 * PSIM_ERROR_USAGE for an unknown or empty entry. */
gboolean psim_chart_formats_parse (const char *list, unsigned *formats, GError **error);

typedef enum {
  PSIM_CHART_WORKERS_BY_SECTOR,
  PSIM_CHART_VIOLENCE,
  PSIM_CHART_REPORTING_TESTING,
  PSIM_CHART_EXPLOITATION,
  PSIM_CHART_PLACES_WAITING,
  PSIM_CHART_NET_MOVES,
  PSIM_N_CHARTS
} PsimChartId;

/* The file name without extension: "workers-by-sector", "violence", ... */
const char *psim_chart_file_stem (PsimChartId chart);

typedef struct {
  PsimLang lang;
  unsigned formats; /* PsimChartFormat mask, for psim_chart_write_all */
  int year;         /* the year of the one-year charts and of the report; 0: the last */
} PsimChartOptions;

/* Whether the results hold what the chart needs (net moves need at least
 * two municipalities besides the region). */
gboolean psim_chart_available (const PsimChartData *data, PsimChartId chart);

/* Draws one chart in one format (one of PSIM_CHART_FORMAT_*). PNG is 1800
 * pixels wide; SVG 1200 points; PDF 840 points (A4 landscape). */
GBytes *psim_chart_render (const PsimChartData *data, PsimChartId chart, PsimChartFormat format,
                           const PsimChartOptions *options, GError **error);

/* The subdirectory of an output directory that holds the chart files;
 * report.html stays beside it, in the output directory itself. */
#define PSIM_CHART_DIR "charts"

/* Writes report.html into outdir and every available chart in every
 * requested format into outdir/charts (both created when missing). With
 * manifest_command_line (the command that redraws them), an
 * outdir/manifest.json is brought up to date too: the SHA-256 of every file
 * written in its "outputs", and that command as "charts_command_line". All
 * files are first written under temporary names in the directory they go to
 * and renamed into place only when all succeeded, so a failure leaves the
 * previous files untouched (and no directory it created). */
gboolean psim_chart_write_all (const PsimChartData *data, const PsimChartOptions *options,
                               const char *outdir, char *const *manifest_command_line, GError **error);

/* ---------- the harm check (recommendation 4) ---------- */

typedef enum {
  PSIM_HARM_WHEN_UP,   /* more is worse for sex workers */
  PSIM_HARM_WHEN_DOWN  /* less is worse */
} PsimHarmDirection;

typedef enum {
  PSIM_HARM_SAFETY,
  PSIM_HARM_JUSTICE,
  PSIM_HARM_CARE,
  PSIM_HARM_AUTONOMY
} PsimHarmDomain;

typedef struct {
  const char *metric; /* an annual.csv column, or "illegal_share" (illegal / workers) */
  PsimHarmDirection harmful;
  PsimHarmDomain domain;
} PsimHarmRule;

/* The table of outcomes the check judges and which direction is harmful. */
gsize psim_harm_rule_count (void);
const PsimHarmRule *psim_harm_rule (gsize index);

typedef struct {
  int scenario;              /* index into the scenarios of the data */
  const PsimHarmRule *rule;
  PsimBand value;            /* the scenario's outcome */
  PsimBand baseline;         /* the baseline's outcome */
  PsimBand difference;       /* paired difference scenario - baseline (n = pairs) */
  gboolean paired;           /* FALSE: replications did not pair; intervals compared */
} PsimHarmFinding;

typedef enum {
  PSIM_HARM_ASSESSED,        /* findings (possibly none) are meaningful */
  PSIM_HARM_NOT_ASSESSED     /* fewer than two replications: no uncertainty to judge by */
} PsimHarmStatus;

/* Checks one scenario against the baseline in the year with the given index
 * (0 = the first year of the results). Returns the flagged outcomes in the
 * order of the rule table (an array of PsimHarmFinding) and sets *status. */
GArray *psim_harm_check (const PsimChartData *data, int scenario, int year_index,
                         PsimHarmStatus *status);

/* ---------- the report ---------- */

/* The whole report.html as a string (UTF-8), charts embedded as data: URIs. */
char *psim_report_html (const PsimChartData *data, const PsimChartOptions *options, GError **error);

G_END_DECLS

#endif /* PERMITSIM_CHART_H */
