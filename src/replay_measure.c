/* permitsim: measures -- the model's counterpart of a published figure.
 *
 * Parses the small measure language of replay.h ("physical_12m@ALL:2017-2018",
 * "moved_out@Utrecht:2013 / moved_out@Utrecht:2010-2012"), resolves the
 * municipalities it names, and computes it from one replication's tallies.
 * Fields are the outcome columns of results.h, so a measure reads exactly
 * what annual.csv and groups.csv would show, plus ever_exploited, a tally
 * with no column of its own.
 */
#include "permitsim/replay.h"

#include <math.h>
#include <string.h>

#include "permitsim/error.h"
#include "permitsim/results.h"

/* Fields that are tallies without an annual.csv column: negative ids. */
#define FIELD_EVER_EXPLOITED (-2)
#define MAX_FIELDS 8
#define MAX_TERMS 2

typedef enum {
  SCOPE_REGION,
  SCOPE_MUNICIPALITY,
  SCOPE_OTHERS,   /* every municipality but one */
  SCOPE_GROUPS    /* a sum of groups of groups.csv */
} ScopeKind;

typedef struct {
  gssize num[MAX_FIELDS];
  int n_num;
  gssize den[MAX_FIELDS];
  int n_den;            /* 0: no denominator */
  ScopeKind scope;
  char *municipality;   /* SCOPE_MUNICIPALITY, SCOPE_OTHERS */
  int muni;             /* resolved index, -1 until bound */
  guint64 groups;       /* SCOPE_GROUPS: bit g for group g */
  int year_from, year_to;
} Term;

struct _PsimMeasure {
  char *text;
  Term term[MAX_TERMS];
  int n_terms;
  char op;              /* '-' or '/' between two terms */
};

static gboolean
fail (GError **error, const char *text, const char *format, ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (GError **error, const char *text, const char *format, ...)
{
  va_list ap;
  va_start (ap, format);
  g_autofree char *why = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_set_error (error, PSIM_ERROR, PSIM_ERROR_INVALID_INPUT, "measure \"%s\": %s", text, why);
  return FALSE;
}

static gssize
field_lookup (const char *name)
{
  if (strcmp (name, "ever_exploited") == 0)
    return FIELD_EVER_EXPLOITED;
  return psim_column_lookup (name);
}

/* "a+b+c" into ids; every field known. */
static gboolean
parse_sum (const char *text, const char *sum, gssize *ids, int *n, GError **error)
{
  g_auto (GStrv) parts = g_strsplit (sum, "+", -1);
  *n = 0;
  for (char **p = parts; *p != NULL; p++)
    {
      if (**p == '\0')
        return fail (error, text, "an empty field name in \"%s\"", sum);
      if (*n == MAX_FIELDS)
        return fail (error, text, "more than %d fields in \"%s\"", MAX_FIELDS, sum);
      gssize id = field_lookup (*p);
      if (id == -1)
        return fail (error, text, "\"%s\" is not an outcome column of annual.csv "
                     "(docs/outputs.md) or ever_exploited", *p);
      ids[(*n)++] = id;
    }
  return TRUE;
}

/* A year or a range of years, "2017" or "2010-2012". */
static gboolean
parse_years (const char *text, const char *years, Term *t, GError **error)
{
  char *end = NULL;
  gint64 a = g_ascii_strtoll (years, &end, 10);
  gint64 b = a;
  if (end == years)
    return fail (error, text, "\"%s\" is not a year or a range of years", years);
  if (*end == '-')
    {
      const char *second = end + 1;
      b = g_ascii_strtoll (second, &end, 10);
      if (end == second)
        return fail (error, text, "\"%s\" is not a year or a range of years", years);
    }
  if (*end != '\0' || a < 1 || b > 9999 || a > b)
    return fail (error, text, "\"%s\" is not a year or a range of years in order", years);
  t->year_from = (int) a;
  t->year_to = (int) b;
  return TRUE;
}

/* "origin=eu+undocumented": the groups of a type, by name. */
static gboolean
parse_groups (const char *text, const char *scope, Term *t, GError **error)
{
  const char *eq = strchr (scope, '=');
  g_autofree char *type = g_strndup (scope, (gsize) (eq - scope));
  g_auto (GStrv) names = g_strsplit (eq + 1, "+", -1);
  int n_groups = psim_group_count ();
  g_return_val_if_fail (n_groups <= 64, FALSE);
  t->scope = SCOPE_GROUPS;
  t->groups = 0;
  for (char **name = names; *name != NULL; name++)
    {
      int found = -1;
      for (int g = 0; g < n_groups && found < 0; g++)
        if (strcmp (psim_group_type_name (psim_group_type (g)), type) == 0
            && strcmp (psim_group_name (g), *name) == 0)
          found = g;
      if (found < 0)
        return fail (error, text, "no group \"%s\" of type \"%s\" in groups.csv", *name, type);
      t->groups |= G_GUINT64_CONSTANT (1) << found;
    }
  return TRUE;
}

static gboolean
parse_term (const char *text, const char *term_text, Term *t, GError **error)
{
  t->muni = -1;
  const char *colon = strrchr (term_text, ':');
  if (colon == NULL)
    return fail (error, text, "\"%s\" gives no year (\":YEAR\" or \":YEAR-YEAR\")", term_text);
  if (!parse_years (text, colon + 1, t, error))
    return FALSE;
  g_autofree char *head = g_strndup (term_text, (gsize) (colon - term_text));
  char *at = strchr (head, '@');
  const char *scope = "ALL";
  if (at != NULL)
    {
      *at = '\0';
      scope = at + 1;
    }
  if (*scope == '\0')
    return fail (error, text, "an empty scope after '@'");
  if (strcmp (scope, "ALL") == 0)
    t->scope = SCOPE_REGION;
  else if (scope[0] == '-')
    {
      t->scope = SCOPE_OTHERS;
      t->municipality = g_strdup (scope + 1);
    }
  else if (strchr (scope, '=') != NULL)
    {
      if (!parse_groups (text, scope, t, error))
        return FALSE;
    }
  else
    {
      t->scope = SCOPE_MUNICIPALITY;
      t->municipality = g_strdup (scope);
    }

  char *slash = strchr (head, '/');
  if (slash != NULL)
    {
      *slash = '\0';
      if (!parse_sum (text, slash + 1, t->den, &t->n_den, error))
        return FALSE;
    }
  return parse_sum (text, head, t->num, &t->n_num, error);
}

PsimMeasure *
psim_measure_parse (const char *text, GError **error)
{
  g_return_val_if_fail (text != NULL, NULL);
  g_autoptr (PsimMeasure) m = g_new0 (PsimMeasure, 1);
  m->text = g_strdup (text);
  const char *minus = strstr (text, " - ");
  const char *over = strstr (text, " / ");
  const char *op = minus != NULL ? minus : over;
  if (minus != NULL && over != NULL)
    {
      fail (error, text, "at most one \" - \" or \" / \" between two terms");
      return NULL;
    }
  if (op == NULL)
    {
      m->n_terms = 1;
      if (!parse_term (text, text, &m->term[0], error))
        return NULL;
      return g_steal_pointer (&m);
    }
  m->n_terms = 2;
  m->op = op[1];
  g_autofree char *first = g_strndup (text, (gsize) (op - text));
  if (strstr (op + 3, " - ") != NULL || strstr (op + 3, " / ") != NULL)
    {
      fail (error, text, "at most one \" - \" or \" / \" between two terms");
      return NULL;
    }
  if (!parse_term (text, first, &m->term[0], error) || !parse_term (text, op + 3, &m->term[1], error))
    return NULL;
  return g_steal_pointer (&m);
}

void
psim_measure_free (PsimMeasure *m)
{
  if (m == NULL)
    return;
  for (int i = 0; i < MAX_TERMS; i++)
    g_free (m->term[i].municipality);
  g_free (m->text);
  g_free (m);
}

const char *
psim_measure_text (const PsimMeasure *m)
{
  g_return_val_if_fail (m != NULL, NULL);
  return m->text;
}

void
psim_measure_years (const PsimMeasure *m, int *first, int *last)
{
  g_return_if_fail (m != NULL);
  int a = G_MAXINT, b = G_MININT;
  for (int i = 0; i < m->n_terms; i++)
    {
      a = MIN (a, m->term[i].year_from);
      b = MAX (b, m->term[i].year_to);
    }
  if (first != NULL)
    *first = a;
  if (last != NULL)
    *last = b;
}

gboolean
psim_measure_bind (PsimMeasure *m, const PsimRegion *region, GError **error)
{
  g_return_val_if_fail (m != NULL && region != NULL, FALSE);
  for (int i = 0; i < m->n_terms; i++)
    {
      Term *t = &m->term[i];
      if (t->municipality == NULL)
        continue;
      t->muni = -1;
      for (int k = 0; k < region->n_municipalities && t->muni < 0; k++)
        if (g_strcmp0 (region->municipalities[k].name, t->municipality) == 0)
          t->muni = k;
      if (t->muni < 0)
        return fail (error, m->text, "the region %s has no municipality \"%s\"",
                     region->name != NULL ? region->name : "(unnamed)", t->municipality);
    }
  return TRUE;
}

static double
field_value (gssize id, const PsimTally *t)
{
  if (id == FIELD_EVER_EXPLOITED)
    return (double) t->ever_exploited;
  return psim_column ((gsize) id)->value (t);
}

/* The tally of a term's scope in year index y. */
static void
scope_tally (const Term *t, const PsimRunResult *r, int y, PsimTally *out)
{
  memset (out, 0, sizeof *out);
  const PsimTally *year = &r->annual[(gsize) y * (gsize) r->n_municipalities];
  switch (t->scope)
    {
    case SCOPE_REGION:
      psim_run_result_region (r, y, out);
      break;
    case SCOPE_MUNICIPALITY:
      *out = year[t->muni];
      break;
    case SCOPE_OTHERS:
      for (int m = 0; m < r->n_municipalities; m++)
        if (m != t->muni)
          psim_tally_add (out, &year[m]);
      break;
    case SCOPE_GROUPS:
      {
        int n_groups = psim_group_count ();
        for (int g = 0; g < n_groups; g++)
          if (t->groups & (G_GUINT64_CONSTANT (1) << g))
            psim_tally_add (out, &r->groups[(gsize) y * (gsize) n_groups + (gsize) g]);
      }
      break;
    }
}

static double
term_eval (const Term *t, const PsimRunResult *r)
{
  if ((t->scope == SCOPE_MUNICIPALITY || t->scope == SCOPE_OTHERS) && t->muni < 0)
    return NAN; /* not bound */
  if ((t->scope == SCOPE_MUNICIPALITY || t->scope == SCOPE_OTHERS)
      && t->muni >= r->n_municipalities)
    return NAN;
  if (t->scope == SCOPE_GROUPS && r->groups == NULL)
    return NAN;
  double total = 0.0;
  for (int year = t->year_from; year <= t->year_to; year++)
    {
      int y = year - r->first_year;
      if (y < 0 || y >= r->n_years)
        return NAN;
      PsimTally tally;
      scope_tally (t, r, y, &tally);
      double num = 0.0, den = 0.0;
      for (int k = 0; k < t->n_num; k++)
        num += field_value (t->num[k], &tally);
      for (int k = 0; k < t->n_den; k++)
        den += field_value (t->den[k], &tally);
      double v = t->n_den > 0 ? (den != 0.0 ? num / den : NAN) : num;
      if (isnan (v))
        return NAN;
      total += v;
    }
  return total / (double) (t->year_to - t->year_from + 1);
}

double
psim_measure_eval (const PsimMeasure *m, const PsimRunResult *result)
{
  g_return_val_if_fail (m != NULL && result != NULL, NAN);
  double a = term_eval (&m->term[0], result);
  if (m->n_terms == 1)
    return a;
  double b = term_eval (&m->term[1], result);
  if (m->op == '-')
    return a - b;
  return b != 0.0 ? a / b : NAN;
}
