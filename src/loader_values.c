/* permitsim: typed values, rule sets and actions from a validated tree.
 *
 * The schema has already checked the form of every value; these readers turn
 * the text into C values (decimals with g_ascii_strtod, checked to be
 * finite), read the levers into partial PsimRules and the dated actions into
 * PsimAction, and report what the schema cannot: a lever given twice in one
 * rule set, a count with area="all". */
#include "loader_internal.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

#include <libxml/xmlstring.h>

/* ---------- the tree ---------- */

int
psim_xml_line (xmlNodePtr node)
{
  if (node == NULL)
    return 0;
  long line = xmlGetLineNo (node);
  return line > 0 && line < G_MAXINT ? (int) line : 0;
}

xmlNodePtr
psim_xml_element (xmlNodePtr node)
{
  while (node != NULL && node->type != XML_ELEMENT_NODE)
    node = node->next;
  return node;
}

gboolean
psim_xml_is (xmlNodePtr node, const char *name)
{
  return node != NULL && node->type == XML_ELEMENT_NODE
         && strcmp ((const char *) node->name, name) == 0;
}

char *
psim_xml_attr (xmlNodePtr node, const char *name)
{
  xmlChar *value = xmlGetNoNsProp (node, (const xmlChar *) name);
  if (value == NULL)
    return NULL;
  char *copy = g_strstrip (g_strdup ((const char *) value));
  xmlFree (value);
  return copy;
}

char *
psim_xml_text (xmlNodePtr node)
{
  xmlChar *value = xmlNodeGetContent (node);
  if (value == NULL)
    return NULL;
  char *copy = g_strstrip (g_strdup ((const char *) value));
  xmlFree (value);
  if (copy[0] == '\0')
    {
      g_free (copy);
      return NULL;
    }
  return copy;
}

/* ---------- typed attributes ---------- */

static void
report_value (PsimLoadCtx *ctx, xmlNodePtr node, const char *attr, const char *value,
              PsimProblem problem, const char *expected)
{
  g_autofree char *q = psim_diagnostic_quoted (value);
  psim_load_report (ctx, psim_xml_line (node), 0, problem, "<%s> %s=%s: expected %s",
                    (const char *) node->name, attr, q, expected);
}

static gboolean
read_integer (PsimLoadCtx *ctx, xmlNodePtr node, const char *attr, gint64 min, gint64 max,
              gint64 *out)
{
  g_autofree char *value = psim_xml_attr (node, attr);
  if (value == NULL)
    return FALSE;
  const char *digits = value[0] == '+' ? value + 1 : value;
  gint64 v = 0;
  if (!g_ascii_string_to_signed (digits, 10, min, max, &v, NULL))
    {
      g_autofree char *expected = g_strdup_printf ("a whole number from %" G_GINT64_FORMAT
                                                   " to %" G_GINT64_FORMAT, min, max);
      report_value (ctx, node, attr, value, PSIM_PROBLEM_RANGE, expected);
      return FALSE;
    }
  *out = v;
  return TRUE;
}

gboolean
psim_read_int32 (PsimLoadCtx *ctx, xmlNodePtr node, const char *attr, int32_t *out)
{
  if (xmlHasProp (node, (const xmlChar *) attr) == NULL)
    return TRUE;
  gint64 v;
  /* PSIM_UNLIMITED (INT32_MAX) is kept for the word "unlimited" */
  if (!read_integer (ctx, node, attr, 0, (gint64) INT32_MAX - 1, &v))
    return FALSE;
  *out = (int32_t) v;
  return TRUE;
}

gboolean
psim_read_int64 (PsimLoadCtx *ctx, xmlNodePtr node, const char *attr, int64_t *out)
{
  if (xmlHasProp (node, (const xmlChar *) attr) == NULL)
    return TRUE;
  gint64 v;
  if (!read_integer (ctx, node, attr, 0, G_MAXINT64, &v))
    return FALSE;
  *out = v;
  return TRUE;
}

gboolean
psim_read_double (PsimLoadCtx *ctx, xmlNodePtr node, const char *attr, double *out)
{
  g_autofree char *value = psim_xml_attr (node, attr);
  if (value == NULL)
    return TRUE;
  char *end = NULL;
  double v = g_ascii_strtod (value, &end);
  if (end == value || *end != '\0')
    {
      report_value (ctx, node, attr, value, PSIM_PROBLEM_SCHEMA,
                    "a decimal number written with a point, such as 2.5");
      return FALSE;
    }
  if (!isfinite (v))
    {
      report_value (ctx, node, attr, value, PSIM_PROBLEM_RANGE,
                    "a finite decimal number (this one is too large to compute with)");
      return FALSE;
    }
  *out = v;
  return TRUE;
}

gboolean
psim_read_bool (PsimLoadCtx *ctx, xmlNodePtr node, const char *attr, bool *out)
{
  g_autofree char *value = psim_xml_attr (node, attr);
  if (value == NULL)
    return TRUE;
  if (strcmp (value, "true") == 0 || strcmp (value, "1") == 0)
    *out = true;
  else if (strcmp (value, "false") == 0 || strcmp (value, "0") == 0)
    *out = false;
  else
    {
      report_value (ctx, node, attr, value, PSIM_PROBLEM_SCHEMA, "true or false");
      return FALSE;
    }
  return TRUE;
}

gboolean
psim_read_date (PsimLoadCtx *ctx, xmlNodePtr node, const char *attr, PsimDate *out)
{
  g_autofree char *value = psim_xml_attr (node, attr);
  if (value == NULL)
    return TRUE;
  PsimDate d = psim_date_parse (value);
  if (d == PSIM_DATE_NONE)
    {
      report_value (ctx, node, attr, value, PSIM_PROBLEM_DATE, "a date written YYYY-MM-DD");
      return FALSE;
    }
  *out = d;
  return TRUE;
}

/* Index of `value` among the names name_of(0..n-1), or -1. */
static int
name_index (const char *value, const char *(*name_of) (int), int n)
{
  for (int i = 0; value != NULL && i < n; i++)
    if (strcmp (name_of (i), value) == 0)
      return i;
  return -1;
}

static const char *venue_name (int i) { return psim_venue_name ((PsimVenue) i); }
static const char *home_name (int i) { return psim_home_regime_name ((PsimHomeRegime) i); }
static const char *participation_name (int i) { return psim_participation_name ((PsimParticipation) i); }

static gboolean
read_enum (PsimLoadCtx *ctx, xmlNodePtr node, const char *attr, const char *(*name_of) (int),
           int n, int *out)
{
  g_autofree char *value = psim_xml_attr (node, attr);
  if (value == NULL)
    return TRUE;
  int i = name_index (value, name_of, n);
  if (i < 0)
    {
      GString *all = g_string_new (NULL);
      for (int k = 0; k < n; k++)
        g_string_append_printf (all, "%s%s", k == 0 ? "" : k + 1 == n ? " or " : ", ", name_of (k));
      report_value (ctx, node, attr, value, PSIM_PROBLEM_SCHEMA, all->str);
      g_string_free (all, TRUE);
      return FALSE;
    }
  *out = i;
  return TRUE;
}

/* ---------- levers ---------- */

/* A count, or the word "unlimited" (PSIM_UNLIMITED). */
static gboolean
read_cap (PsimLoadCtx *ctx, xmlNodePtr node, const char *attr, int32_t *out)
{
  g_autofree char *value = psim_xml_attr (node, attr);
  if (value != NULL && strcmp (value, "unlimited") == 0)
    {
      *out = PSIM_UNLIMITED;
      return TRUE;
    }
  return psim_read_int32 (ctx, node, attr, out);
}

#define N_RULE_BITS 17

static const struct {
  const char *element;
  uint32_t bit;
  const char *attr;
  gssize bool_offset; /* where a yes/no lever keeps its value, or -1 */
} levers[] = {
  { "permit-cap", 0, "max", -1 },
  { "home-work", PSIM_RULE_HOME_WORK, "regime", -1 },
  { "independent-licences", PSIM_RULE_INDEPENDENT_LICENCES, "per-year", -1 },
  { "registration", PSIM_RULE_REGISTRATION, "required", offsetof (PsimRules, registration) },
  { "operator-intake", PSIM_RULE_OPERATOR_INTAKE, "required", offsetof (PsimRules, operator_intake) },
  { "ggd-intake", PSIM_RULE_GGD_INTAKE, "required", offsetof (PsimRules, ggd_intake) },
  { "minimum-age", PSIM_RULE_MINIMUM_AGE, "years", -1 },
  { "enforcement", PSIM_RULE_ENFORCEMENT, "inspections-per-year", -1 },
  { "participation", PSIM_RULE_PARTICIPATION, "level", -1 },
  { "sex-worker-organisation", PSIM_RULE_SW_ORGANISATION, "present", offsetof (PsimRules, sw_organisation) },
  { "pimping-ban", PSIM_RULE_PIMPING_BAN, "in-force", offsetof (PsimRules, pimping_ban) },
  { "client-criminalisation", PSIM_RULE_CLIENT_CRIMINALISATION, "in-force",
    offsetof (PsimRules, client_criminalisation) },
  { "decriminalisation", PSIM_RULE_DECRIMINALISATION, "in-force", offsetof (PsimRules, decriminalisation) },
  { "mixed-use-workspace", PSIM_RULE_MIXED_USE, "allowed", offsetof (PsimRules, mixed_use) },
  { "worker-run-venues", PSIM_RULE_WORKER_RUN, "allowed", offsetof (PsimRules, worker_run) },
};

static const uint32_t cap_bits[PSIM_N_VENUES] = {
  PSIM_RULE_CAP_WINDOW, PSIM_RULE_CAP_CLUB, PSIM_RULE_CAP_ESCORT_AGENCY,
};

static int
bit_index (uint32_t bit)
{
  for (int i = 0; i < N_RULE_BITS; i++)
    if (bit == (1u << i))
      return i;
  return 0;
}

/* Reads `node` into `rules` if it is a lever; `lines` remembers where each
 * lever was first given, to name it when it comes again. */
static gboolean
read_lever (PsimLoadCtx *ctx, xmlNodePtr node, PsimRules *rules, int lines[N_RULE_BITS])
{
  int k = -1;
  for (gsize i = 0; i < G_N_ELEMENTS (levers); i++)
    if (psim_xml_is (node, levers[i].element))
      k = (int) i;
  if (k < 0)
    return FALSE;

  uint32_t bit = levers[k].bit;
  int venue = -1;
  if (bit == 0) /* permit-cap: one lever per venue */
    {
      if (!read_enum (ctx, node, "venue", venue_name, PSIM_N_VENUES, &venue) || venue < 0)
        return TRUE;
      bit = cap_bits[venue];
    }
  int line = psim_xml_line (node);
  int b = bit_index (bit);
  if (rules->set & bit)
    {
      g_autofree char *what = venue >= 0 ? g_strdup_printf ("<permit-cap venue=\"%s\">",
                                                            psim_venue_name ((PsimVenue) venue))
                                         : g_strdup_printf ("<%s>", levers[k].element);
      psim_load_report (ctx, line, 0, PSIM_PROBLEM_CONSISTENCY,
                        "%s is given twice in the same set of rules (first on line %d): give "
                        "each lever once", what, lines[b]);
      return TRUE;
    }

  gboolean ok = TRUE;
  if (venue >= 0)
    ok = read_cap (ctx, node, "max", &rules->permit_cap[venue]);
  else if (levers[k].bool_offset >= 0)
    ok = psim_read_bool (ctx, node, levers[k].attr, (bool *) ((char *) rules + levers[k].bool_offset));
  else
    switch (bit)
      {
      case PSIM_RULE_HOME_WORK:
        {
          int regime = PSIM_HOME_ALLOWED;
          ok = read_enum (ctx, node, "regime", home_name, (int) PSIM_HOME_BANNED + 1, &regime);
          rules->home_regime = (PsimHomeRegime) regime;
          rules->home_licences = 0;
          ok = psim_read_int32 (ctx, node, "licences", &rules->home_licences) && ok;
          break;
        }
      case PSIM_RULE_INDEPENDENT_LICENCES: /* "unlimited": granted on demand */
        ok = read_cap (ctx, node, "per-year", &rules->independent_licences_per_year);
        break;
      case PSIM_RULE_MINIMUM_AGE:
        ok = psim_read_int32 (ctx, node, "years", &rules->minimum_age);
        break;
      case PSIM_RULE_ENFORCEMENT:
        ok = psim_read_double (ctx, node, "inspections-per-year", &rules->enforcement);
        break;
      case PSIM_RULE_PARTICIPATION:
        {
          int level = PSIM_PARTICIPATION_NONE;
          ok = read_enum (ctx, node, "level", participation_name, PSIM_N_PARTICIPATION, &level);
          rules->participation = (PsimParticipation) level;
          break;
        }
      default:
        break;
      }
  if (ok)
    {
      rules->set |= bit;
      lines[b] = line;
    }
  return TRUE;
}

static void
rules_reset (PsimRules *rules)
{
  psim_rules_init_defaults (rules);
  rules->set = 0;
}

void
psim_read_rules (PsimLoadCtx *ctx, xmlNodePtr parent, PsimRules *rules)
{
  int lines[N_RULE_BITS] = { 0 };
  rules_reset (rules);
  if (parent == NULL)
    return;
  for (xmlNodePtr n = psim_xml_element (parent->children); n != NULL; n = psim_xml_element (n->next))
    read_lever (ctx, n, rules, lines);
}

/* ---------- actions ---------- */

static const struct {
  PsimActionKind kind;
  const char *element;
} action_elements[] = {
  { PSIM_ACTION_RULES, "rules" },
  { PSIM_ACTION_CLOSE_WINDOWS, "close-windows" },
  { PSIM_ACTION_OPEN_WINDOWS, "open-windows" },
  { PSIM_ACTION_CLOSE_STREET_ZONE, "close-street-zone" },
  { PSIM_ACTION_OPEN_STREET_ZONE, "open-street-zone" },
  { PSIM_ACTION_SET_CLUBS, "clubs" },
  { PSIM_ACTION_SET_ESCORT_AGENCIES, "escort-agencies" },
  { PSIM_ACTION_SET_SEX_WORKERS, "sex-workers" },
};

const char *
psim_action_element (PsimActionKind kind)
{
  for (gsize i = 0; i < G_N_ELEMENTS (action_elements); i++)
    if (action_elements[i].kind == kind)
      return action_elements[i].element;
  return "?";
}

gboolean
psim_action_targets_area (PsimActionKind kind)
{
  return kind == PSIM_ACTION_CLOSE_WINDOWS || kind == PSIM_ACTION_OPEN_WINDOWS;
}

gboolean
psim_action_targets_zone (PsimActionKind kind)
{
  return kind == PSIM_ACTION_CLOSE_STREET_ZONE || kind == PSIM_ACTION_OPEN_STREET_ZONE;
}

void
psim_read_actions (PsimLoadCtx *ctx, xmlNodePtr parent, PsimAction **actions, char ***refs,
                   int *n_actions)
{
  GArray *list = g_array_new (FALSE, TRUE, sizeof (PsimAction));
  GPtrArray *names = g_ptr_array_new ();
  int lines[N_RULE_BITS] = { 0 };
  int rules_at = -1;

  for (xmlNodePtr n = psim_xml_element (parent->children); n != NULL; n = psim_xml_element (n->next))
    {
      if (psim_xml_is (n, "description"))
        continue;
      if (rules_at >= 0 && read_lever (ctx, n, &g_array_index (list, PsimAction, rules_at).rules, lines))
        continue;
      PsimAction a = { .target = PSIM_ALL, .line = psim_xml_line (n) };
      rules_reset (&a.rules);
      if (rules_at < 0 && read_lever (ctx, n, &a.rules, lines))
        {
          a.kind = PSIM_ACTION_RULES;
          rules_at = (int) list->len;
          g_array_append_val (list, a);
          g_ptr_array_add (names, NULL);
          continue;
        }
      gboolean known = FALSE;
      for (gsize i = 1; i < G_N_ELEMENTS (action_elements); i++)
        if (psim_xml_is (n, action_elements[i].element))
          {
            a.kind = action_elements[i].kind;
            known = TRUE;
          }
      if (!known)
        continue; /* the schema allows nothing else */

      char *ref = NULL;
      if (psim_action_targets_area (a.kind) || psim_action_targets_zone (a.kind))
        {
          const char *attr = psim_action_targets_area (a.kind) ? "area" : "zone";
          ref = psim_xml_attr (n, attr);
          a.target = (ref != NULL && strcmp (ref, "all") == 0) ? PSIM_ALL : PSIM_TARGET_UNRESOLVED;
          a.count = PSIM_ALL;
          gboolean has_count = xmlHasProp (n, (const xmlChar *) "count") != NULL;
          if (has_count)
            psim_read_int32 (ctx, n, "count", &a.count);
          if (has_count && a.target == PSIM_ALL)
            psim_load_report (ctx, a.line, 0, PSIM_PROBLEM_CONSISTENCY,
                              "<%s area=\"all\"> acts on every area and cannot take a count: "
                              "leave out count, or name one area", (const char *) n->name);
        }
      else
        {
          a.count = 0;
          psim_read_int32 (ctx, n, "count", &a.count);
        }
      g_array_append_val (list, a);
      g_ptr_array_add (names, ref);
    }
  *n_actions = (int) list->len;
  *actions = (PsimAction *) g_array_free (list, FALSE);
  if (refs != NULL)
    *refs = (char **) g_ptr_array_free (names, FALSE);
  else
    {
      g_ptr_array_set_free_func (names, g_free);
      g_ptr_array_free (names, TRUE);
    }
}
