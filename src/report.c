/* permitsim: report.html, one self-contained file. What was compared and why,
 * a summary table, the harm check, the charts (SVG embedded as data: URIs in
 * <img>, because cairo's SVG glyph ids clash when two SVGs are inlined), the
 * parameters as an appendix and the run's manifest. Every string from the
 * results passes through esc(); the page loads nothing from the network. */
#include <math.h>
#include <string.h>

#include "chart_private.h"

static const char style_sheet[] =
  ":root{color-scheme:light}"
  "body{font-family:\"DejaVu Sans\",Verdana,system-ui,sans-serif;line-height:1.5;color:#1a1a1a;"
  "background:#fff;margin:0}"
  "main{max-width:62rem;margin:0 auto;padding:1rem 1.25rem 3rem}"
  "h1{font-size:2rem;line-height:1.2;margin:.5rem 0}"
  "h2{font-size:1.45rem;margin-top:2.5rem;border-bottom:3px solid #0072B2;padding-bottom:.2rem}"
  "h3{font-size:1.15rem;margin-top:1.5rem}"
  ".lede{font-size:1.1rem;color:#333}"
  "nav ol{columns:2;padding-left:1.2rem}"
  "a{color:#0072B2}"
  ".scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;margin:1rem 0}"
  "table{border-collapse:collapse;width:100%;font-size:.95rem}"
  "th,td{text-align:left;padding:.4rem .55rem;border-bottom:1px solid #d8d8d8;vertical-align:top}"
  "th{background:#f2f2f2}"
  "td.num{white-space:nowrap;font-variant-numeric:tabular-nums}"
  "tr.first td{border-top:2px solid #999}"
  ".unit{display:block;font-size:.85rem;color:#555}"
  ".tag{display:inline-block;font-size:.8rem;border:1px solid #555;border-radius:.3rem;padding:0 .35rem;"
  "margin-left:.35rem}"
  ".worse{font-weight:bold;color:#a3360a}"
  ".worse::before{content:\"\\25B2  \"}"
  ".flag{border-left:5px solid #D55E00;padding:.2rem 0 .2rem .8rem;margin:.6rem 0;list-style:none}"
  ".clear{border-left:5px solid #009E73;padding:.2rem 0 .2rem .8rem}"
  ".note{border-left:5px solid #999;padding:.2rem 0 .2rem .8rem}"
  "ul.flags{padding-left:0}"
  "blockquote{margin:1rem 0;padding:.5rem 1rem;background:#f6f6f6;border-left:5px solid #0072B2}"
  "figure{margin:2rem 0}"
  "figure img{width:100%;height:auto;border:1px solid #e4e4e4}"
  "figcaption{font-size:.9rem;color:#444}"
  "code{font-size:.85rem;overflow-wrap:anywhere}"
  "dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem}"
  "dt{font-weight:bold}dd{margin:0}"
  "footer{margin-top:3rem;font-size:.85rem;color:#555}"
  "@media (max-width:40rem){h1{font-size:1.5rem}nav ol{columns:1}dl{grid-template-columns:1fr}"
  "dd{margin-bottom:.5rem}}"
  "@media print{nav{display:none}body{font-size:10pt}main{max-width:none;padding:0}"
  "h2{break-after:avoid}figure,tr,li{break-inside:avoid}.scroll{overflow:visible}"
  "a{color:inherit;text-decoration:none}figure img{border:none}}";

/* The outcomes of the summary table. */
static const PsimMetricId headline[] = {
  PSIM_M_ILLEGAL_SHARE, PSIM_M_PHYSICAL_12M, PSIM_M_SEXUAL_12M, PSIM_M_FINANCIAL_12M, PSIM_M_SOCIAL_12M,
  PSIM_M_REPORTING_RATE, PSIM_M_TESTED_12M, PSIM_M_EXPLOITED, PSIM_M_WAITING,
};

typedef struct {
  GString *out;
  const PsimChartData *data;
  PsimLang lang;
  int year_index;
  GArray **findings;          /* per scenario */
  PsimHarmStatus *status;     /* per scenario */
  char year[16];              /* the report's year, as text */
} Report;

static void
esc (GString *out, const char *text)
{
  g_autofree char *e = g_markup_escape_text (text != NULL ? text : "", -1);
  g_string_append (out, e);
}

static const char *
t (Report *r, PsimTextId id)
{
  return psim_text (r->lang, id);
}

/* <tag>escaped text</tag> */
static void
element (Report *r, const char *open, const char *text, const char *close)
{
  g_string_append (r->out, open);
  esc (r->out, text);
  g_string_append (r->out, close);
}

static const char *
year_text (Report *r)
{
  return r->year;
}

static const PsimChartManifestScenario *
manifest_scenario (const PsimChartData *d, const char *name)
{
  for (guint k = 0; k < d->manifest->scenarios->len; k++)
    {
      const PsimChartManifestScenario *ms = g_ptr_array_index (d->manifest->scenarios, k);
      if (strcmp (ms->name, name) == 0)
        return ms;
    }
  return NULL;
}

static void
head (Report *r)
{
  g_string_append_printf (r->out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n",
                          psim_lang_code (r->lang));
  g_string_append (r->out, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
  element (r, "<title>", t (r, PSIM_T_R_TITLE), "</title>\n");
  g_string_append_printf (r->out, "<style>%s</style>\n</head>\n<body>\n<main>\n", style_sheet);

  element (r, "<h1>", t (r, PSIM_T_R_TITLE), "</h1>\n");
  const PsimChartManifest *m = r->data->manifest;
  g_autofree char *n = g_strdup_printf ("%d", m->replications > 0 ? m->replications : r->data->n_replications);
  g_autofree char *first = g_strdup_printf ("%d", r->data->first_year);
  g_autofree char *last = g_strdup_printf ("%d", r->data->first_year + r->data->n_years - 1);
  const char *unknown = t (r, PSIM_T_UNKNOWN);
  g_autofree char *lede = psim_text_fill (t (r, PSIM_T_R_LEDE), "version", m->version != NULL ? m->version : unknown,
                                          "n", n, "seed", m->seed != NULL ? m->seed : unknown, "first", first, "last",
                                          last, "region", t (r, PSIM_T_WHOLE_REGION), "year", year_text (r), NULL);
  element (r, "<p class=\"lede\">", lede, "</p>\n");

  static const struct {
    const char *anchor;
    PsimTextId title;
  } toc[] = { { "compared", PSIM_T_R_COMPARED }, { "summary", PSIM_T_R_SUMMARY },   { "harm", PSIM_T_R_HARM },
              { "charts", PSIM_T_R_CHARTS },     { "assumptions", PSIM_T_R_ASSUMPTIONS }, { "run", PSIM_T_R_MANIFEST } };
  element (r, "<nav aria-label=\"", t (r, PSIM_T_R_CONTENTS), "\">");
  element (r, "<h2>", t (r, PSIM_T_R_CONTENTS), "</h2>\n<ol>\n");
  for (gsize i = 0; i < G_N_ELEMENTS (toc); i++)
    {
      g_string_append_printf (r->out, "<li><a href=\"#%s\">", toc[i].anchor);
      esc (r->out, t (r, toc[i].title));
      g_string_append (r->out, "</a></li>\n");
    }
  g_string_append (r->out, "</ol>\n</nav>\n");
}

static void
compared (Report *r)
{
  g_string_append (r->out, "<section id=\"compared\">\n");
  element (r, "<h2>", t (r, PSIM_T_R_COMPARED), "</h2>\n");
  element (r, "<p>", t (r, PSIM_T_R_WHY), "</p>\n<ul>\n");
  for (int s = 0; s < psim_chart_data_n_scenarios (r->data); s++)
    {
      const char *name = psim_chart_data_scenario_name (r->data, s);
      const char *label = psim_chart_data_scenario_label (r->data, s, r->lang);
      if (s == 0 && strcmp (label, "baseline") == 0)
        label = t (r, PSIM_T_BASELINE_NAME);
      const PsimChartManifestScenario *ms = manifest_scenario (r->data, name);
      element (r, "<li><strong>", label, "</strong>");
      if (strcmp (name, label) != 0)
        element (r, " (<code>", name, "</code>)");
      if (s == 0)
        element (r, "<span class=\"tag\">", t (r, PSIM_T_R_BASELINE), "</span>");
      if (ms != NULL && ms->description != NULL && *ms->description != '\0')
        element (r, "<br>", ms->description, "");
      g_string_append (r->out, "</li>\n");
    }
  g_string_append (r->out, "</ul>\n</section>\n");
}

static gboolean
flagged (Report *r, int scenario, PsimMetricId metric)
{
  GArray *f = r->findings[scenario];
  for (guint i = 0; i < f->len; i++)
    if (psim_harm_rule_metric (g_array_index (f, PsimHarmFinding, i).rule) == metric)
      return TRUE;
  return FALSE;
}

static void
summary (Report *r)
{
  const PsimChartData *d = r->data;
  int n_s = psim_chart_data_n_scenarios (d);
  g_string_append (r->out, "<section id=\"summary\">\n");
  element (r, "<h2>", t (r, PSIM_T_R_SUMMARY), "</h2>\n");
  g_autofree char *intro = psim_text_fill (t (r, PSIM_T_R_SUMMARY_INTRO), "year", year_text (r), "region",
                                           t (r, PSIM_T_WHOLE_REGION), NULL);
  element (r, "<p>", intro, "</p>\n");
  PsimChartUncertainty held = psim_chart_uncertainty (d);
  if (held != PSIM_CHART_UNCERTAINTY_UNKNOWN)
    element (r, "<p>",
             t (r, held == PSIM_CHART_UNCERTAINTY_CHANCE ? PSIM_T_R_INTERVAL_CHANCE : PSIM_T_R_INTERVAL_PARAMETERS),
             "</p>\n");
  g_string_append (r->out, "<div class=\"scroll\"><table>\n<thead><tr>");
  element (r, "<th scope=\"col\">", t (r, PSIM_T_R_COL_OUTCOME), "</th>");
  element (r, "<th scope=\"col\">", t (r, PSIM_T_R_COL_SCENARIO), "</th>");
  element (r, "<th scope=\"col\">", t (r, PSIM_T_R_COL_VALUE), "</th>");
  element (r, "<th scope=\"col\">", t (r, PSIM_T_R_COL_DIFF), "</th>");
  g_string_append (r->out, "</tr></thead>\n<tbody>\n");
  for (gsize i = 0; i < G_N_ELEMENTS (headline); i++)
    {
      PsimMetricId m = headline[i];
      const PsimMetric *metric = psim_metric (m);
      for (int s = 0; s < n_s; s++)
        {
          g_string_append (r->out, s == 0 ? "<tr class=\"first\">" : "<tr>");
          if (s == 0)
            {
              g_string_append_printf (r->out, "<th scope=\"rowgroup\" rowspan=\"%d\">", n_s);
              esc (r->out, psim_metric_label (r->lang, m));
              element (r, "<span class=\"unit\">", psim_text (r->lang, metric->unit), "</span></th>");
            }
          g_autofree char *scenario = psim_chart_scenario_text (d, s, r->lang);
          element (r, "<td>", scenario, "</td>");
          PsimBand b;
          psim_chart_data_band (d, s, r->year_index, m, &b);
          g_autofree char *value = psim_format_band (r->lang, metric->kind, &b);
          element (r, "<td class=\"num\">", value, "</td>");
          if (s == 0)
            element (r, "<td>", t (r, PSIM_T_R_BASELINE), "</td>");
          else
            {
              PsimBand diff;
              psim_chart_data_paired_difference (d, s, r->year_index, m, &diff);
              g_autofree char *text = psim_format_difference_band (r->lang, metric->kind, &diff);
              element (r, "<td class=\"num\">", text, "");
              if (flagged (r, s, m))
                element (r, "<br><span class=\"worse\">", t (r, PSIM_T_R_WORSE), "</span>");
              g_string_append (r->out, "</td>");
            }
          g_string_append (r->out, "</tr>\n");
        }
    }
  g_string_append (r->out, "</tbody>\n</table></div>\n</section>\n");
}

static char *
finding_sentence (Report *r, const PsimHarmFinding *f)
{
  PsimMetricId m = psim_harm_rule_metric (f->rule);
  PsimMetricKind kind = psim_metric (m)->kind;
  g_autofree char *value = psim_format_band (r->lang, kind, &f->value);
  g_autofree char *baseline = psim_format_band (r->lang, kind, &f->baseline);
  const char *scenario = psim_chart_data_scenario_label (r->data, f->scenario, r->lang);
  const char *phrase = t (r, psim_harm_rule_phrase (f->rule));
  if (!f->paired)
    return psim_text_fill (t (r, PSIM_T_HARM_SENTENCE_UNPAIRED), "scenario", scenario, "phrase", phrase, "value",
                           value, "baseline", baseline, NULL);
  int decimals = kind == PSIM_KIND_SHARE ? 1 : (fmax (fabs (f->difference.p05), fabs (f->difference.p95)) < 10 ? 1 : 0);
  g_autofree char *diff = psim_format_difference (r->lang, kind, f->difference.median, decimals);
  g_autofree char *low = psim_format_difference (r->lang, kind, f->difference.p05, decimals);
  g_autofree char *high = psim_format_difference (r->lang, kind, f->difference.p95, decimals);
  return psim_text_fill (t (r, PSIM_T_HARM_SENTENCE), "scenario", scenario, "phrase", phrase, "value", value,
                         "baseline", baseline, "diff", diff, "low", low, "high", high, NULL);
}

static void
harm (Report *r)
{
  const PsimChartData *d = r->data;
  g_string_append (r->out, "<section id=\"harm\">\n");
  element (r, "<h2>", t (r, PSIM_T_R_HARM), "</h2>\n");
  element (r, "<blockquote>", t (r, PSIM_T_R_HARM_QUOTE_NOTE), "</blockquote>\n");
  element (r, "<p>", t (r, PSIM_T_R_HARM_RULE), "</p>\n");
  if (psim_chart_data_n_scenarios (d) < 2)
    element (r, "<p class=\"note\">", t (r, PSIM_T_R_HARM_NO_SCENARIOS), "</p>\n");
  for (int s = 1; s < psim_chart_data_n_scenarios (d); s++)
    {
      const char *label = psim_chart_data_scenario_label (d, s, r->lang);
      element (r, "<h3>", label, "</h3>\n");
      GArray *f = r->findings[s];
      if (r->status[s] == PSIM_HARM_NOT_ASSESSED)
        {
          g_autofree char *text = psim_text_fill (t (r, PSIM_T_R_HARM_NOT_ASSESSED), "scenario", label, NULL);
          element (r, "<p class=\"note\">", text, "</p>\n");
          continue;
        }
      gboolean unpaired = FALSE;
      for (guint i = 0; i < f->len; i++)
        unpaired = unpaired || !g_array_index (f, PsimHarmFinding, i).paired;
      if (unpaired)
        {
          g_autofree char *text = psim_text_fill (t (r, PSIM_T_R_HARM_UNPAIRED), "scenario", label, NULL);
          element (r, "<p class=\"note\">", text, "</p>\n");
        }
      if (f->len == 0)
        {
          g_autofree char *text = psim_text_fill (t (r, PSIM_T_R_HARM_NONE), "scenario", label, NULL);
          element (r, "<p class=\"clear\">", text, "</p>\n");
          continue;
        }
      g_string_append (r->out, "<ul class=\"flags\">\n");
      for (guint i = 0; i < f->len; i++)
        {
          const PsimHarmFinding *finding = &g_array_index (f, PsimHarmFinding, i);
          g_autofree char *sentence = finding_sentence (r, finding);
          element (r, "<li class=\"flag\">", sentence, "</li>\n");
        }
      g_string_append (r->out, "</ul>\n");
    }

  element (r, "<h3>", t (r, PSIM_T_R_DIRECTIONS), "</h3>\n");
  g_string_append (r->out, "<div class=\"scroll\"><table>\n<thead><tr>");
  element (r, "<th scope=\"col\">", t (r, PSIM_T_R_COL_OUTCOME), "</th>");
  element (r, "<th scope=\"col\">", t (r, PSIM_T_R_COL_DOMAIN), "</th>");
  element (r, "<th scope=\"col\">", t (r, PSIM_T_R_COL_HARMFUL), "</th>");
  g_string_append (r->out, "</tr></thead>\n<tbody>\n");
  for (gsize i = 0; i < psim_harm_rule_count (); i++)
    {
      const PsimHarmRule *rule = psim_harm_rule (i);
      element (r, "<tr><td>", psim_metric_label (r->lang, psim_harm_rule_metric (rule)), "");
      element (r, " <code>", rule->metric, "</code></td>");
      element (r, "<td>", t (r, psim_harm_domain_text (rule->domain)), "</td>");
      element (r, "<td>", t (r, rule->harmful == PSIM_HARM_WHEN_UP ? PSIM_T_HARMFUL_UP : PSIM_T_HARMFUL_DOWN),
               "</td></tr>\n");
    }
  g_string_append (r->out, "</tbody>\n</table></div>\n</section>\n");
}

static const PsimTextId chart_titles[PSIM_N_CHARTS] = {
  PSIM_T_WORKERS_TITLE, PSIM_T_VIOLENCE_TITLE, PSIM_T_REPTEST_TITLE,
  PSIM_T_EXPLOITATION_TITLE, PSIM_T_PLACES_TITLE, PSIM_T_MOVES_TITLE,
};

static gboolean
charts (Report *r, const PsimChartOptions *options, GError **error)
{
  g_string_append (r->out, "<section id=\"charts\">\n");
  element (r, "<h2>", t (r, PSIM_T_R_CHARTS), "</h2>\n");
  for (int c = 0; c < PSIM_N_CHARTS; c++)
    {
      const char *title = t (r, chart_titles[c]);
      g_string_append_printf (r->out, "<figure id=\"chart-%s\">\n", psim_chart_file_stem ((PsimChartId) c));
      if (!psim_chart_available (r->data, (PsimChartId) c))
        {
          element (r, "<figcaption><strong>", title, "</strong><br>");
          element (r, "", t (r, PSIM_T_R_CHART_SKIPPED), "</figcaption>\n</figure>\n");
          continue;
        }
      g_autoptr (GBytes) svg = psim_chart_render (r->data, (PsimChartId) c, PSIM_CHART_FORMAT_SVG, options, error);
      if (svg == NULL)
        return FALSE;
      gsize length;
      const guchar *bytes = g_bytes_get_data (svg, &length);
      g_autofree char *b64 = g_base64_encode (bytes, length);
      g_string_append (r->out, "<img src=\"data:image/svg+xml;base64,");
      g_string_append (r->out, b64);
      element (r, "\" alt=\"", title, "\">\n");
      element (r, "<figcaption>", title, "</figcaption>\n</figure>\n");
    }
  g_string_append (r->out, "</section>\n");
  return TRUE;
}

static void
assumptions (Report *r)
{
  const PsimChartManifest *m = r->data->manifest;
  g_string_append (r->out, "<section id=\"assumptions\">\n");
  element (r, "<h2>", t (r, PSIM_T_R_ASSUMPTIONS), "</h2>\n");
  if (m->parameters->len == 0)
    {
      element (r, "<p>", t (r, PSIM_T_R_NO_PARAMETERS), "</p>\n</section>\n");
      return;
    }
  element (r, "<p>", t (r, PSIM_T_R_ASSUMPTIONS_INTRO), "</p>\n");
  g_string_append (r->out, "<div class=\"scroll\"><table>\n<thead><tr>");
  static const PsimTextId columns[] = { PSIM_T_R_COL_PARAMETER, PSIM_T_R_COL_VALUE_SHORT, PSIM_T_R_COL_UNIT,
                                        PSIM_T_R_COL_RANGE, PSIM_T_R_COL_SOURCE };
  for (gsize i = 0; i < G_N_ELEMENTS (columns); i++)
    element (r, "<th scope=\"col\">", t (r, columns[i]), "</th>");
  g_string_append (r->out, "</tr></thead>\n<tbody>\n");
  for (guint i = 0; i < m->parameters->len; i++)
    {
      const PsimChartManifestParam *p = g_ptr_array_index (m->parameters, i);
      element (r, "<tr><td><code>", p->name, "</code></td>");
      element (r, "<td class=\"num\">", p->value != NULL ? p->value : "\xe2\x80\x93", "</td>");
      element (r, "<td>", p->unit != NULL ? p->unit : "", "</td>");
      g_autofree char *range = p->min != NULL || p->max != NULL
                                 ? g_strdup_printf ("%s \xe2\x80\x93 %s", p->min != NULL ? p->min : "?",
                                                    p->max != NULL ? p->max : "?")
                                 : g_strdup ("\xe2\x80\x93");
      element (r, "<td class=\"num\">", range, "</td>");
      element (r, "<td>", p->source != NULL ? p->source : t (r, PSIM_T_UNKNOWN), "</td></tr>\n");
    }
  g_string_append (r->out, "</tbody>\n</table></div>\n</section>\n");
}

static void
definition (Report *r, PsimTextId term, const char *value, gboolean code)
{
  element (r, "<dt>", t (r, term), "</dt>");
  element (r, code ? "<dd><code>" : "<dd>", value != NULL ? value : t (r, PSIM_T_UNKNOWN),
           code ? "</code></dd>\n" : "</dd>\n");
}

static void
manifest (Report *r)
{
  const PsimChartManifest *m = r->data->manifest;
  g_string_append (r->out, "<section id=\"run\">\n");
  element (r, "<h2>", t (r, PSIM_T_R_MANIFEST), "</h2>\n<dl>\n");
  definition (r, PSIM_T_R_VERSION, m->version, FALSE);
  definition (r, PSIM_T_R_COMMAND, m->command_line, TRUE);
  definition (r, PSIM_T_R_SEED, m->seed, FALSE);
  g_autofree char *n = m->replications > 0 ? g_strdup_printf ("%d", m->replications) : NULL;
  definition (r, PSIM_T_R_REPLICATIONS, n, FALSE);
  if (m->created != NULL)
    definition (r, PSIM_T_R_CREATED, m->created, FALSE);
  if (m->uncertainty != NULL)
    {
      /* in the report's words, with the manifest's own after it */
      PsimChartUncertainty held = psim_chart_uncertainty (r->data);
      g_autofree char *text
        = held == PSIM_CHART_UNCERTAINTY_UNKNOWN
            ? g_strdup (m->uncertainty)
            : g_strdup_printf ("%s (%s)",
                               t (r, held == PSIM_CHART_UNCERTAINTY_CHANCE ? PSIM_T_R_UNCERTAINTY_CHANCE
                                                                           : PSIM_T_R_UNCERTAINTY_PARAMETERS),
                               m->uncertainty);
      definition (r, PSIM_T_R_UNCERTAINTY, text, FALSE);
    }
  g_string_append (r->out, "</dl>\n");
  element (r, "<h3>", t (r, PSIM_T_R_INPUTS), "</h3>\n");
  if (m->inputs->len == 0)
    element (r, "<p>", t (r, PSIM_T_R_NO_INPUTS), "</p>\n");
  else
    {
      g_string_append (r->out, "<div class=\"scroll\"><table>\n<thead><tr>");
      element (r, "<th scope=\"col\">", t (r, PSIM_T_R_COL_FILE), "</th>");
      g_string_append (r->out, "<th scope=\"col\">SHA-256</th></tr></thead>\n<tbody>\n");
      for (guint i = 0; i < m->inputs->len; i++)
        {
          const PsimChartManifestInput *in = g_ptr_array_index (m->inputs, i);
          element (r, "<tr><td><code>", in->path, "</code></td>");
          element (r, "<td><code>", in->sha256 != NULL ? in->sha256 : t (r, PSIM_T_UNKNOWN), "</code></td></tr>\n");
        }
      g_string_append (r->out, "</tbody>\n</table></div>\n");
    }
  g_string_append (r->out, "</section>\n");
}

char *
psim_report_html (const PsimChartData *data, const PsimChartOptions *options, GError **error)
{
  g_return_val_if_fail (data != NULL && options != NULL, NULL);
  Report r = { 0 };
  r.data = data;
  r.lang = options->lang;
  if (!psim_chart_data_year_index (data, options->year, &r.year_index, error))
    return NULL;
  g_snprintf (r.year, sizeof r.year, "%d", psim_chart_data_year (data, r.year_index));
  int n_s = psim_chart_data_n_scenarios (data);
  r.findings = g_new0 (GArray *, (gsize) n_s);
  r.status = g_new0 (PsimHarmStatus, (gsize) n_s);
  for (int s = 0; s < n_s; s++)
    r.findings[s] = psim_harm_check (data, s, r.year_index, &r.status[s]);
  r.out = g_string_new (NULL);

  head (&r);
  compared (&r);
  summary (&r);
  harm (&r);
  gboolean ok = charts (&r, options, error);
  if (ok)
    {
      assumptions (&r);
      manifest (&r);
      element (&r, "<footer><p>", t (&r, PSIM_T_R_FOOTER), "</p></footer>\n</main>\n</body>\n</html>\n");
    }

  for (int s = 0; s < n_s; s++)
    g_array_free (r.findings[s], TRUE);
  g_free (r.findings);
  g_free (r.status);
  char *html = g_string_free (r.out, !ok);
  return ok ? html : NULL;
}
