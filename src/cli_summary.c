/* permitsim: `permitsim summary` -- one screen on a region's input data.
 *
 * Loads a region (the bundled Netherlands by default) and prints, per
 * municipality and at a few milestone years, the open windows, licensed
 * clubs, open street zones and the key rules, with the region's totals. It
 * reads the history through the timeline (timeline.h), exactly as the engine
 * does; it simulates nothing.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

#include "permitsim/error.h"
#include "permitsim/loader.h"
#include "permitsim/timeline.h"

/* More years than this do not fit a 100-column screen (13 columns a year). */
#define MAX_YEARS 6

static const int default_years[] = { 1999, 2000, 2006, 2009, 2014, 2022 };

static const char summary_description[] =
  "Prints, for each municipality of the region at each year (on 1 July):\n"
  "the open windows, the licensed clubs and the street zones open, then the\n"
  "rules in force: the permit caps for windows and clubs, the home-work\n"
  "regime, the minimum age and the registration duties; and the region's\n"
  "totals. Without REGION.xml it shows the bundled Netherlands data.\n"
  "\n"
  "Examples:\n"
  "  permitsim summary\n"
  "  permitsim summary --years 1999,2009,2014\n"
  "  permitsim summary municipalities/netherlands.xml\n"
  "\n"
  "Exit status: 0 success, 1 usage error, 2 invalid input, 3 runtime or output failure.";

typedef struct {
  int32_t windows, clubs, zones_open, sex_workers;
  int32_t cap_window, cap_club;
  PsimHomeRegime home;
  int32_t minimum_age;
  gboolean registration, operator_intake, ggd_intake;
} Cell;

/* "1999,2009,2014" -> years; FALSE (with a message) when it is not that. */
static gboolean
parse_years (const char *text, int *years, int *n_years, char **message)
{
  g_auto (GStrv) parts = g_strsplit (text, ",", -1);
  int n = 0;
  for (int i = 0; parts[i] != NULL; i++)
    {
      const char *p = g_strstrip (parts[i]);
      guint64 y;
      if (!g_ascii_string_to_unsigned (p, 10, 1900, 2200, &y, NULL))
        {
          *message = g_strdup_printf ("--years: '%s' is not a year from 1900 to 2200", p);
          return FALSE;
        }
      if (n == MAX_YEARS)
        {
          *message = g_strdup_printf ("--years: at most %d years fit on one screen", MAX_YEARS);
          return FALSE;
        }
      years[n++] = (int) y;
    }
  if (n == 0)
    {
      *message = g_strdup ("--years: give at least one year");
      return FALSE;
    }
  *n_years = n;
  return TRUE;
}

static char
home_letter (PsimHomeRegime regime)
{
  switch (regime)
    {
    case PSIM_HOME_ALLOWED: return 'A';
    case PSIM_HOME_NON_COMMERCIAL: return 'N';
    case PSIM_HOME_LICENCE_REQUIRED: return 'L';
    case PSIM_HOME_BANNED: return 'B';
    }
  return '?';
}

static void
cap_text (int32_t cap, char *buf, gsize size)
{
  if (cap == PSIM_UNLIMITED)
    g_strlcpy (buf, "-", size);
  else
    g_snprintf (buf, size, "%d", cap);
}

/* "492/37 N21RI": window cap / club cap, home work, minimum age, duties. */
static char *
rules_text (const Cell *c)
{
  char w[16], k[16];
  cap_text (c->cap_window, w, sizeof w);
  cap_text (c->cap_club, k, sizeof k);
  return g_strdup_printf ("%s/%s %c%d%s%s%s", w, k, home_letter (c->home), c->minimum_age,
                          c->registration ? "R" : "", c->operator_intake ? "I" : "",
                          c->ggd_intake ? "G" : "");
}

/* Prints `text` left-aligned in `width` screen columns (names may be UTF-8). */
static void
print_padded (const char *text, int width)
{
  int len = (int) g_utf8_strlen (text, -1);
  fputs (text, stdout);
  for (int i = len; i < width; i++)
    putchar (' ');
}

static int
digits (int64_t v)
{
  char buf[32];
  return g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, v);
}

/* `title` centred in `width` columns; no trailing blanks after the last one. */
static void
print_centered (const char *title, int width, gboolean last)
{
  int len = MIN ((int) strlen (title), width - 1); /* ASCII titles; cut if too narrow */
  int left = (width - len) / 2;
  printf ("%*s%.*s%*s", left, "", len, title, last ? 0 : width - len - left, "");
}

/* 25000 -> "25,000" */
static char *
thousands (int64_t v)
{
  g_autofree char *digits_text = g_strdup_printf ("%" G_GINT64_FORMAT, v < 0 ? -v : v);
  GString *out = g_string_new (v < 0 ? "-" : "");
  gsize n = strlen (digits_text);
  for (gsize i = 0; i < n; i++)
    {
      if (i > 0 && (n - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, digits_text[i]);
    }
  return g_string_free (out, FALSE);
}

static void
print_tables (const PsimRegion *region, const char *path, const int *years, int n_years,
              const Cell *cells)
{
  int nm = region->n_municipalities;
#define CELL(y, m) (&cells[(y) * nm + (m)])
  int64_t tw[MAX_YEARS] = { 0 }, tc[MAX_YEARS] = { 0 }, tz[MAX_YEARS] = { 0 };
  int64_t demand_first = 0, demand_last = 0;
  for (int y = 0; y < n_years; y++)
    for (int m = 0; m < nm; m++)
      {
        tw[y] += CELL (y, m)->windows;
        tc[y] += CELL (y, m)->clubs;
        tz[y] += CELL (y, m)->zones_open;
      }
  for (int m = 0; m < nm; m++)
    {
      demand_first += CELL (0, m)->sex_workers;
      demand_last += CELL (n_years - 1, m)->sex_workers;
    }

  /* column widths: wide enough for the largest number and the year */
  int name_w = (int) strlen ("municipality");
  for (int m = 0; m < nm; m++)
    name_w = MAX (name_w, (int) g_utf8_strlen (region->municipalities[m].name, -1));
  name_w = MIN (name_w, 24);
  int ww = 4, cw = 4, zw = 2;
  for (int y = 0; y < n_years; y++)
    {
      ww = MAX (ww, digits (tw[y]));
      cw = MAX (cw, digits (tc[y]));
      zw = MAX (zw, digits (tz[y]));
    }

  g_autofree char *base = g_path_get_basename (path);
  char from[11], to[11];
  psim_date_format (region->from, from);
  psim_date_format (region->to, to);
  printf ("%s: %d municipalities, period %s to %s (%s)\n", region->name, nm, from, to, base);
  g_autofree char *d_first = thousands (demand_first);
  g_autofree char *d_last = thousands (demand_last);
  printf ("State on 1 July of each year. Demand: %s workers in %d, %s in %d.\n\n", d_first,
          years[0], d_last, years[n_years - 1]);

  /* table 1: workplaces */
  int gw = n_years * (ww + 1), gc = n_years * (cw + 1), gz = n_years * (zw + 1);
  printf ("%*s", name_w, "");
  print_centered (gw >= 13 ? "windows open" : "windows", gw, FALSE);
  printf (" |");
  print_centered ("clubs", gc, FALSE);
  printf (" |");
  print_centered (gz >= 13 ? "street zones" : "zones", gz, TRUE);
  printf ("\n");
  print_padded ("municipality", name_w);
  for (int y = 0; y < n_years; y++)
    printf (" %*d", ww, years[y]);
  printf (" |");
  for (int y = 0; y < n_years; y++)
    printf (" %*d", cw, years[y]);
  printf (" |");
  for (int y = 0; y < n_years; y++)
    printf (" %0*d", zw, years[y] % 100);
  printf ("\n");
  for (int m = 0; m < nm; m++)
    {
      print_padded (region->municipalities[m].name, name_w);
      for (int y = 0; y < n_years; y++)
        printf (" %*d", ww, CELL (y, m)->windows);
      printf (" |");
      for (int y = 0; y < n_years; y++)
        printf (" %*d", cw, CELL (y, m)->clubs);
      printf (" |");
      for (int y = 0; y < n_years; y++)
        printf (" %*d", zw, CELL (y, m)->zones_open);
      printf ("\n");
    }
  print_padded ("total", name_w);
  for (int y = 0; y < n_years; y++)
    printf (" %*" G_GINT64_FORMAT, ww, tw[y]);
  printf (" |");
  for (int y = 0; y < n_years; y++)
    printf (" %*" G_GINT64_FORMAT, cw, tc[y]);
  printf (" |");
  for (int y = 0; y < n_years; y++)
    printf (" %*" G_GINT64_FORMAT, zw, tz[y]);
  printf ("\n\n");

  /* table 2: rules */
  int rw = 4;
  for (int y = 0; y < n_years; y++)
    for (int m = 0; m < nm; m++)
      {
        g_autofree char *t = rules_text (CELL (y, m));
        rw = MAX (rw, (int) strlen (t));
      }
  print_padded ("rules in force", name_w);
  for (int y = 0; y < n_years; y++)
    printf (" %-*d", y + 1 < n_years ? rw : 0, years[y]);
  printf ("\n");
  for (int m = 0; m < nm; m++)
    {
      print_padded (region->municipalities[m].name, name_w);
      for (int y = 0; y < n_years; y++)
        {
          g_autofree char *t = rules_text (CELL (y, m));
          printf (" %-*s", y + 1 < n_years ? rw : 0, t);
        }
      printf ("\n");
    }
  printf ("Rules: window cap/club cap (- none); home work A allowed, N non-commercial only,\n"
          "L licence required, B banned; minimum age; R registration, I operator intake,\n"
          "G GGD intake.\n");
#undef CELL
}

static int
summarise (const char *path, const int *years, int n_years)
{
  g_autoptr (GPtrArray) diagnostics = psim_diagnostics_new ();
  GError *error = NULL;
  g_autoptr (PsimRegion) region = psim_region_load (path, diagnostics, &error);
  if (region == NULL)
    return psim_cli_report_error (error);

  int nm = region->n_municipalities;
  Cell *cells = g_new0 (Cell, (gsize) n_years * (gsize) MAX (nm, 1));
  PsimMuniState st;
  psim_muni_state_init (&st);
  for (int y = 0; y < n_years; y++)
    for (int m = 0; m < nm; m++)
      {
        const PsimMunicipality *mu = &region->municipalities[m];
        psim_muni_state_at (&st, mu, &region->national_rules, NULL, 0,
                            psim_date_from_ymd (years[y], 7, 1));
        Cell *c = &cells[y * nm + m];
        c->windows = psim_muni_state_windows (&st);
        c->clubs = st.clubs;
        for (int z = 0; z < st.n_zones; z++)
          c->zones_open += st.zone_open[z] ? 1 : 0;
        c->sex_workers = st.sex_workers;
        c->cap_window = st.rules.permit_cap[PSIM_VENUE_WINDOW];
        c->cap_club = st.rules.permit_cap[PSIM_VENUE_CLUB];
        c->home = st.rules.home_regime;
        c->minimum_age = st.rules.minimum_age;
        c->registration = st.rules.registration;
        c->operator_intake = st.rules.operator_intake;
        c->ggd_intake = st.rules.ggd_intake;
      }
  psim_muni_state_clear (&st);
  print_tables (region, path, years, n_years, cells);
  g_free (cells);
  return PSIM_EXIT_OK;
}

int
psim_cmd_summary (int argc, char **argv)
{
  char *years_text = NULL;
  GOptionEntry entries[] = {
    { "years", 'y', 0, G_OPTION_ARG_STRING, &years_text,
      "comma-separated years (default 1999,2000,2006,2009,2014,2022)", "Y,Y,..." },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
  };
  int code = psim_cli_parse_options ("permitsim summary", "[REGION.xml]",
                                     "Show a region's windows, clubs, street zones and rules at "
                                     "milestone years.",
                                     summary_description, entries, &argc, &argv);
  if (code == PSIM_EXIT_OK)
    {
      int years[MAX_YEARS];
      int n_years = (int) G_N_ELEMENTS (default_years);
      memcpy (years, default_years, sizeof default_years);
      g_autofree char *message = NULL;
      g_autofree char *path = NULL;
      if (years_text != NULL && !parse_years (years_text, years, &n_years, &message))
        code = psim_cli_usage_error (message);
      else if (argc > 2)
        code = psim_cli_usage_error ("give at most one region file");
      else if (argc == 2)
        path = g_strdup (argv[1]);
      else
        {
          g_autofree char *datadir = psim_cli_datadir ();
          if (datadir == NULL)
            {
              fprintf (stderr, "permitsim summary: error: the bundled data folder was not found "
                               "(set PERMITSIM_DATADIR or give REGION.xml)\n");
              code = PSIM_EXIT_FAILURE;
            }
          else
            path = g_build_filename (datadir, "netherlands.xml", NULL);
        }
      if (path != NULL)
        code = summarise (path, years, n_years);
    }
  g_free (years_text);
  return code;
}
