/* Tests for the harm check (src/report_harm.c) and report.html (src/report.c):
 * a fixture scenario built to do harm is flagged, one identical to the
 * baseline and one built to help are not; the report is self-contained,
 * escapes what it quotes, speaks the language asked for, and (where Chromium
 * is installed) renders to a page that is not blank and logs nothing to the
 * console. Fixtures: tests/data/results/compare (see its generate.py). */
#include <math.h>
#include <string.h>

#include <cairo.h>
#include <glib/gstdio.h>
#include <libxml/HTMLparser.h>

#include "chart_private.h"
#include "permitsim/chart.h"
#include "permitsim/error.h"
#include "testutil.h"

enum { BASELINE, HARMFUL, SAME, HELPFUL }; /* the scenarios of the fixture, baseline first */

static PsimChartData *
load_compare (void)
{
  g_autofree char *dir = psim_test_path ("tests/data/results/compare");
  GError *error = NULL;
  PsimChartData *d = psim_chart_data_load (dir, &error);
  if (error != NULL)
    fprintf (stderr, "%s\n", error->message);
  g_clear_error (&error);
  return d;
}

static void
test_harm_rules_table (void)
{
  CU_ASSERT (psim_harm_rule_count () >= 10);
  gboolean sexual_up = FALSE, reporting_down = FALSE, testing_down = FALSE, illegal_up = FALSE,
           exploited_up = FALSE;
  for (gsize i = 0; i < psim_harm_rule_count (); i++)
    {
      const PsimHarmRule *r = psim_harm_rule (i);
      CU_ASSERT (psim_metric_lookup (r->metric) >= 0);
      CU_ASSERT_EQUAL (psim_metric_lookup (r->metric), (int) psim_harm_rule_metric (r));
      CU_ASSERT (psim_harm_rule_phrase (r) != PSIM_T_NONE);
      gboolean up = r->harmful == PSIM_HARM_WHEN_UP;
      sexual_up |= strcmp (r->metric, "sexual_12m") == 0 && up && r->domain == PSIM_HARM_SAFETY;
      reporting_down |= strcmp (r->metric, "reporting_rate") == 0 && !up && r->domain == PSIM_HARM_JUSTICE;
      testing_down |= strcmp (r->metric, "tested_12m") == 0 && !up && r->domain == PSIM_HARM_CARE;
      illegal_up |= strcmp (r->metric, "illegal_share") == 0 && up;
      exploited_up |= strcmp (r->metric, "exploited") == 0 && up;
      /* ambiguous outcomes are not judged */
      CU_ASSERT (strcmp (r->metric, "exploitation_detected") != 0);
      CU_ASSERT (strcmp (r->metric, "workers") != 0);
    }
  CU_ASSERT (sexual_up && reporting_down && testing_down && illegal_up && exploited_up);
}

static void
test_harm_flags_the_harmful_scenario (void)
{
  g_autoptr (PsimChartData) d = load_compare ();
  CU_ASSERT_PTR_NOT_NULL_FATAL (d);
  for (int y = 0; y < d->n_years; y++)
    {
      PsimHarmStatus status;
      GArray *f = psim_harm_check (d, HARMFUL, y, &status);
      CU_ASSERT_EQUAL (status, PSIM_HARM_ASSESSED);
      CU_ASSERT_EQUAL_FATAL (f->len, 1);
      const PsimHarmFinding *x = &g_array_index (f, PsimHarmFinding, 0);
      CU_ASSERT_STRING_EQUAL (x->rule->metric, "sexual_12m");
      CU_ASSERT_TRUE (x->paired);
      CU_ASSERT_EQUAL (x->difference.n, 8);
      CU_ASSERT (x->difference.p05 > 0.04 && x->difference.p95 < 0.08);
      CU_ASSERT (x->value.median > x->baseline.median);
      g_array_free (f, TRUE);
    }
}

static void
test_harm_quiet_for_no_change_and_for_help (void)
{
  g_autoptr (PsimChartData) d = load_compare ();
  CU_ASSERT_PTR_NOT_NULL_FATAL (d);
  for (int y = 0; y < d->n_years; y++)
    for (int s = 0; s < psim_chart_data_n_scenarios (d); s++)
      {
        if (s == HARMFUL)
          continue;
        PsimHarmStatus status;
        GArray *f = psim_harm_check (d, s, y, &status);
        CU_ASSERT_EQUAL (f->len, 0);
        for (guint i = 0; i < f->len; i++)
          fprintf (stderr, "scenario %d year %d: %s flagged\n", s, y,
                   g_array_index (f, PsimHarmFinding, i).rule->metric);
        g_array_free (f, TRUE);
      }
}

static void
test_harm_without_pairs (void)
{
  /* Hide replications 0-3 of the baseline and 4-7 of the harmful scenario:
   * no replication pairs up, so the check falls back to comparing the two
   * 90% intervals; sexual violence rises by 5 to 7 points, beyond both. */
  g_autoptr (PsimChartData) d = load_compare ();
  CU_ASSERT_PTR_NOT_NULL_FATAL (d);
  int y = d->n_years - 1;
  for (int r = 0; r < d->n_replications; r++)
    {
      int s = r < 4 ? BASELINE : HARMFUL;
      double *cell = d->region + (((gsize) s * (gsize) d->n_years + (gsize) y) * (gsize) d->n_replications
                                  + (gsize) r) * PSIM_N_METRICS;
      for (int m = 0; m < PSIM_N_METRICS; m++)
        cell[m] = NAN;
    }
  PsimHarmStatus status;
  GArray *f = psim_harm_check (d, HARMFUL, y, &status);
  CU_ASSERT_EQUAL (status, PSIM_HARM_ASSESSED);
  CU_ASSERT_EQUAL_FATAL (f->len, 1);
  CU_ASSERT_FALSE (g_array_index (f, PsimHarmFinding, 0).paired);
  CU_ASSERT_STRING_EQUAL (g_array_index (f, PsimHarmFinding, 0).rule->metric, "sexual_12m");
  g_array_free (f, TRUE);
  /* the same scenario, now unpaired too, is still not flagged */
  GArray *g = psim_harm_check (d, SAME, y, &status);
  CU_ASSERT_EQUAL (g->len, 0);
  g_array_free (g, TRUE);

  /* one replication: no uncertainty to judge by */
  d->n_replications = 1;
  GArray *h = psim_harm_check (d, HARMFUL, 0, &status);
  CU_ASSERT_EQUAL (status, PSIM_HARM_NOT_ASSESSED);
  CU_ASSERT_EQUAL (h->len, 0);
  g_array_free (h, TRUE);
  d->n_replications = 8;
}

/* ---------- report.html ---------- */

static char *
report (PsimChartData *d, PsimLang lang)
{
  PsimChartOptions o = { lang, 0, 0 };
  GError *error = NULL;
  char *html = psim_report_html (d, &o, &error);
  CU_ASSERT_PTR_NULL (error);
  g_clear_error (&error);
  return html;
}

static gboolean
attribute_ok (const char *value)
{
  return g_str_has_prefix (value, "data:") || g_str_has_prefix (value, "#");
}

/* Walks the parsed page: every src and href is a data: URI or an anchor;
 * counts the images. */
static void
check_links (xmlNodePtr node, int *images, int *bad)
{
  for (; node != NULL; node = node->next)
    {
      if (node->type == XML_ELEMENT_NODE)
        {
          for (xmlAttrPtr a = node->properties; a != NULL; a = a->next)
            if (xmlStrcasecmp (a->name, (const xmlChar *) "src") == 0
                || xmlStrcasecmp (a->name, (const xmlChar *) "href") == 0)
              {
                xmlChar *v = xmlNodeGetContent ((xmlNodePtr) a);
                if (!attribute_ok ((const char *) v))
                  (*bad)++;
                xmlFree (v);
              }
          if (xmlStrcasecmp (node->name, (const xmlChar *) "img") == 0)
            {
              xmlChar *src = xmlGetProp (node, (const xmlChar *) "src");
              if (src != NULL && g_str_has_prefix ((const char *) src, "data:image/svg+xml;base64,"))
                {
                  gsize n;
                  g_autofree guchar *svg = g_base64_decode ((const char *) src + 26, &n);
                  if (n > 5 && g_strstr_len ((const char *) svg, (gssize) MIN (n, 300), "<svg") != NULL)
                    (*images)++;
                }
              xmlFree (src);
            }
          /* no scripts, no external style sheets, no frames */
          if (xmlStrcasecmp (node->name, (const xmlChar *) "script") == 0
              || xmlStrcasecmp (node->name, (const xmlChar *) "link") == 0
              || xmlStrcasecmp (node->name, (const xmlChar *) "iframe") == 0)
            (*bad)++;
        }
      check_links (node->children, images, bad);
    }
}

static void
test_report_self_contained (void)
{
  g_autoptr (PsimChartData) d = load_compare ();
  CU_ASSERT_PTR_NOT_NULL_FATAL (d);
  g_autofree char *html = report (d, PSIM_LANG_EN);
  CU_ASSERT_PTR_NOT_NULL_FATAL (html);
  CU_ASSERT_PTR_NULL (strstr (html, "http://"));
  CU_ASSERT_PTR_NULL (strstr (html, "https://"));
  CU_ASSERT_PTR_NULL (strstr (html, "url("));
  CU_ASSERT_PTR_NULL (strstr (html, "@import"));
  htmlDocPtr doc = htmlReadMemory (html, (int) strlen (html), "report.html", "UTF-8",
                                   HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
  CU_ASSERT_PTR_NOT_NULL_FATAL (doc);
  int images = 0, bad = 0;
  check_links (xmlDocGetRootElement (doc), &images, &bad);
  xmlFreeDoc (doc);
  CU_ASSERT_EQUAL (images, PSIM_N_CHARTS);
  CU_ASSERT_EQUAL (bad, 0);
  /* readable on a phone, printable */
  CU_ASSERT_PTR_NOT_NULL (strstr (html, "name=\"viewport\""));
  CU_ASSERT_PTR_NOT_NULL (strstr (html, "@media print"));
  CU_ASSERT_PTR_NOT_NULL (strstr (html, "overflow-x:auto"));
}

static void
test_report_escapes (void)
{
  g_autoptr (PsimChartData) d = load_compare ();
  CU_ASSERT_PTR_NOT_NULL_FATAL (d);
  g_autofree char *html = report (d, PSIM_LANG_EN);
  CU_ASSERT_PTR_NOT_NULL_FATAL (html);
  /* the fixture's title and description carry markup: shown, never obeyed */
  CU_ASSERT_PTR_NULL (strstr (html, "<script"));
  CU_ASSERT_PTR_NULL (strstr (html, "<with>"));
  CU_ASSERT_PTR_NOT_NULL (strstr (html, "Registration duty &lt;with&gt; &quot;intake&quot; &amp; fines"));
  CU_ASSERT_PTR_NOT_NULL (strstr (html, "&lt;script&gt;alert("));
  CU_ASSERT_PTR_NOT_NULL (strstr (html, "Sekswerk en geweld in Nederland (2018) &lt;calibrated&gt;"));
}

static void
test_report_contents (void)
{
  g_autoptr (PsimChartData) d = load_compare ();
  CU_ASSERT_PTR_NOT_NULL_FATAL (d);
  g_autofree char *en = report (d, PSIM_LANG_EN);
  g_autofree char *nl = report (d, PSIM_LANG_NL);
  CU_ASSERT_FATAL (en != NULL && nl != NULL);

  /* English */
  CU_ASSERT_PTR_NOT_NULL (strstr (en, "<html lang=\"en\">"));
  CU_ASSERT_PTR_NOT_NULL (strstr (en, "Harm check (recommendation 4)"));
  CU_ASSERT_PTR_NOT_NULL (strstr (en, "Appendix A: assumptions"));
  CU_ASSERT_PTR_NOT_NULL (strstr (en, "more sex workers experience sexual violence: 85%"));
  CU_ASSERT_PTR_NOT_NULL (strstr (en, "Under \xe2\x80\x9c" "Same as the baseline\xe2\x80\x9d, no outcome"));
  CU_ASSERT_PTR_NOT_NULL (strstr (en, "Under \xe2\x80\x9c" "Lift the maximum policy\xe2\x80\x9d, no outcome"));
  CU_ASSERT_PTR_NULL (strstr (en, "Schadecheck"));
  CU_ASSERT_PTR_NULL (strstr (en, "Bijlage"));
  /* Dutch */
  CU_ASSERT_PTR_NOT_NULL (strstr (nl, "<html lang=\"nl\">"));
  CU_ASSERT_PTR_NOT_NULL (strstr (nl, "Schadecheck (aanbeveling 4)"));
  CU_ASSERT_PTR_NOT_NULL (strstr (nl, "Bijlage A: aannames"));
  CU_ASSERT_PTR_NOT_NULL (strstr (nl, "maken meer sekswerkers seksueel geweld mee: 85%"));
  CU_ASSERT_PTR_NOT_NULL (strstr (nl, "Samenvatting"));
  CU_ASSERT_PTR_NULL (strstr (nl, "Harm check"));
  CU_ASSERT_PTR_NULL (strstr (nl, "Appendix"));

  /* exactly one harm finding, marked in the summary table too */
  int flags = 0, worse = 0;
  for (const char *p = en; (p = strstr (p, "<li class=\"flag\">")) != NULL; p++)
    flags++;
  for (const char *p = en; (p = strstr (p, "<span class=\"worse\">")) != NULL; p++)
    worse++;
  CU_ASSERT_EQUAL (flags, 1);
  CU_ASSERT_EQUAL (worse, 1);

  /* the appendices: every parameter, every input with its hash, the seed */
  CU_ASSERT_PTR_NOT_NULL (strstr (en, "capacity.workers-per-window"));
  CU_ASSERT_PTR_NOT_NULL (strstr (en, "violence.base-rate"));
  CU_ASSERT_PTR_NOT_NULL (strstr (en, "0.005 \xe2\x80\x93 0.03"));
  CU_ASSERT_PTR_NOT_NULL (strstr (en, "3b2f5c6d7e8f90112233445566778899aabbccddeeff00112233445566778899"));
  CU_ASSERT_PTR_NOT_NULL (strstr (en, "20240501"));
  CU_ASSERT_PTR_NOT_NULL (strstr (en, "permitsim compare municipalities/netherlands.xml"));
}

/* What the intervals hold, by the manifest's "uncertainty": said in the
 * report's summary, in its appendix in its own words, and under every
 * chart's legend; nothing is claimed when the manifest does not say. */
static void
test_report_says_what_intervals_hold (void)
{
  g_autoptr (PsimChartData) d = load_compare ();
  CU_ASSERT_PTR_NOT_NULL_FATAL (d);
  static const char *const chance_en = "The intervals show only chance between replications";
  static const char *const chance_nl = "De intervallen tonen alleen het toeval tussen herhalingen";
  static const char *const parameters_en = "The intervals show chance and the parameters drawn over their ranges";

  /* the fixture's manifest does not say */
  CU_ASSERT_PTR_NULL (d->manifest->uncertainty);
  g_autofree char *unknown = report (d, PSIM_LANG_EN);
  CU_ASSERT_FATAL (unknown != NULL);
  CU_ASSERT_PTR_NULL (strstr (unknown, chance_en));
  CU_ASSERT_PTR_NULL (strstr (unknown, parameters_en));
  g_autofree char *plain = psim_chart_interval_note (d, PSIM_LANG_EN, PSIM_T_WHISKER_NOTE);
  CU_ASSERT_STRING_EQUAL (plain, psim_text (PSIM_LANG_EN, PSIM_T_WHISKER_NOTE));

  d->manifest->uncertainty = g_strdup ("stochastic only");
  g_autofree char *en = report (d, PSIM_LANG_EN);
  g_autofree char *nl = report (d, PSIM_LANG_NL);
  CU_ASSERT_FATAL (en != NULL && nl != NULL);
  CU_ASSERT_PTR_NOT_NULL (strstr (en, chance_en));
  CU_ASSERT_PTR_NULL (strstr (en, parameters_en));
  CU_ASSERT_PTR_NOT_NULL (strstr (nl, chance_nl));
  CU_ASSERT_PTR_NOT_NULL (strstr (en, "<dd>chance between replications only (stochastic only)</dd>"));
  CU_ASSERT_PTR_NOT_NULL (strstr (nl, "<dd>alleen toeval tussen herhalingen (stochastic only)</dd>"));
  g_autofree char *note_nl = psim_chart_interval_note (d, PSIM_LANG_NL, PSIM_T_BAND_NOTE);
  CU_ASSERT_TRUE (g_str_has_prefix (note_nl, psim_text (PSIM_LANG_NL, PSIM_T_BAND_NOTE)));
  CU_ASSERT_TRUE (g_str_has_suffix (note_nl, "Het interval toont alleen het toeval tussen herhalingen, niet de "
                                             "onzekerheid in de aannames van het model."));

  g_free (d->manifest->uncertainty);
  d->manifest->uncertainty = g_strdup ("stochastic and parametric (LHS over the ranges in parameters.xml)");
  g_autofree char *sampled = report (d, PSIM_LANG_EN);
  CU_ASSERT_FATAL (sampled != NULL);
  CU_ASSERT_PTR_NOT_NULL (strstr (sampled, parameters_en));
  CU_ASSERT_PTR_NULL (strstr (sampled, chance_en));
  CU_ASSERT_PTR_NOT_NULL (strstr (sampled, "<dd>chance, and the parameters over their ranges (stochastic and "
                                           "parametric (LHS over the ranges in parameters.xml))</dd>"));
  g_autofree char *note_en = psim_chart_interval_note (d, PSIM_LANG_EN, PSIM_T_WHISKER_NOTE);
  CU_ASSERT_TRUE (g_str_has_suffix (note_en, "The interval shows chance and the parameters drawn over their ranges "
                                             "(Latin hypercube), not the uncertainty in the model's structure."));
}

/* ---------- in a browser ---------- */

static int
distinct_colours (const char *png, int *width)
{
  cairo_surface_t *s = cairo_image_surface_create_from_png (png);
  if (cairo_surface_status (s) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (s);
      return -1;
    }
  cairo_surface_flush (s);
  *width = cairo_image_surface_get_width (s);
  int h = cairo_image_surface_get_height (s), stride = cairo_image_surface_get_stride (s);
  const unsigned char *px = cairo_image_surface_get_data (s);
  g_autoptr (GHashTable) seen = g_hash_table_new (NULL, NULL);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < *width; x++)
      g_hash_table_add (seen,
                        GUINT_TO_POINTER ((*(const guint32 *) (px + (gsize) y * (gsize) stride + (gsize) x * 4)
                                           & 0xffffff) + 1));
  cairo_surface_destroy (s);
  return (int) g_hash_table_size (seen);
}

static void
test_report_in_chromium (void)
{
  const char *chromium = "/usr/bin/chromium";
  if (!g_file_test (chromium, G_FILE_TEST_IS_EXECUTABLE))
    {
      fprintf (stderr, "(no %s: the browser check is skipped)\n", chromium);
      return;
    }
  g_autoptr (PsimChartData) d = load_compare ();
  CU_ASSERT_PTR_NOT_NULL_FATAL (d);
  g_autofree char *dir = psim_test_tmpdir ();
  PsimChartOptions o = { PSIM_LANG_NL, PSIM_CHART_FORMAT_PNG, 0 };
  CU_ASSERT_TRUE_FATAL (psim_chart_write_all (d, &o, dir, NULL, NULL));
  g_autofree char *page = g_build_filename (dir, "report.html", NULL);
  g_autofree char *uri = g_filename_to_uri (page, NULL, NULL);
  g_autofree char *shot = g_build_filename (dir, "shot.png", NULL);
  g_autofree char *shot_arg = g_strconcat ("--screenshot=", shot, NULL);
  g_autofree char *profile = g_build_filename (dir, "profile", NULL);
  g_autofree char *profile_arg = g_strconcat ("--user-data-dir=", profile, NULL);
  char *argv[] = { (char *) chromium, "--headless", "--no-sandbox", "--disable-gpu",
                   "--disable-background-networking", "--disable-component-update", "--disable-sync",
                   "--no-first-run", profile_arg, "--enable-logging=stderr", "--v=0", shot_arg,
                   "--window-size=1200,900", uri, NULL };
  g_autofree char *err = NULL;
  int status = -1;
  GError *error = NULL;
  CU_ASSERT_TRUE_FATAL (g_spawn_sync (NULL, argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err, &status,
                                      &error));
  g_clear_error (&error);
  CU_ASSERT_TRUE (g_spawn_check_wait_status (status, NULL));
  /* the page has no script: any console message at all (":CONSOLE", at
   * whatever level this Chromium logs it) means something went wrong */
  CU_ASSERT_PTR_NULL (strstr (err, ":CONSOLE"));
  CU_ASSERT_PTR_NULL (strstr (err, "Uncaught"));
  int width = 0;
  int colours = distinct_colours (shot, &width);
  CU_ASSERT_EQUAL (width, 1200);
  CU_ASSERT (colours > 20); /* headings, text in several greys, the blue rules: not a blank page */
}

int
main (void)
{
  static const PsimTestCase harm[] = {
    { "the table of harmful directions", test_harm_rules_table },
    { "a scenario built to do harm is flagged", test_harm_flags_the_harmful_scenario },
    { "no change and help are not flagged", test_harm_quiet_for_no_change_and_for_help },
    { "without pairs: intervals; one replication: not assessed", test_harm_without_pairs },
    { NULL, NULL },
  };
  static const PsimTestCase html[] = {
    { "self-contained: nothing from the network", test_report_self_contained },
    { "every quoted string is escaped", test_report_escapes },
    { "contents in Dutch and in English", test_report_contents },
    { "says what the intervals hold", test_report_says_what_intervals_hold },
    { "renders in Chromium without console messages", test_report_in_chromium },
    { NULL, NULL },
  };
  psim_test_add_suite ("harm", harm);
  psim_test_add_suite ("report", html);
  return psim_test_run ();
}
