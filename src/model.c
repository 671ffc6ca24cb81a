/* permitsim: dates, names and rule sets shared by the loader and the engine.
 *
 * Small and dependency-free but for GLib; the structs themselves are in
 * include/permitsim/model.h. */
#include "permitsim/model.h"

#include <string.h>

PsimDate
psim_date_from_ymd (int year, int month, int day)
{
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1
      || !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    return PSIM_DATE_NONE;
  GDate d;
  g_date_clear (&d, 1);
  g_date_set_dmy (&d, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  return (PsimDate) g_date_get_julian (&d);
}

PsimDate
psim_date_parse (const char *iso)
{
  if (iso == NULL || strlen (iso) != 10 || iso[4] != '-' || iso[7] != '-')
    return PSIM_DATE_NONE;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (iso[i]))
      return PSIM_DATE_NONE;
  int y = (int) g_ascii_strtoll (iso, NULL, 10);
  int m = (int) g_ascii_strtoll (iso + 5, NULL, 10);
  int d = (int) g_ascii_strtoll (iso + 8, NULL, 10);
  return psim_date_from_ymd (y, m, d);
}

static void
date_to_gdate (PsimDate date, GDate *out)
{
  g_date_clear (out, 1);
  g_date_set_julian (out, (guint32) date);
}

void
psim_date_format (PsimDate date, char buf[static 11])
{
  if (date <= 0)
    {
      g_strlcpy (buf, "----------", 11);
      return;
    }
  GDate d;
  date_to_gdate (date, &d);
  g_snprintf (buf, 11, "%04d-%02d-%02d", g_date_get_year (&d), g_date_get_month (&d),
              g_date_get_day (&d));
}

int
psim_date_year (PsimDate date)
{
  GDate d;
  date_to_gdate (date, &d);
  return g_date_get_year (&d);
}

/* ---------- names ---------- */

static const char *const mode_names[PSIM_N_MODES] = {
  "window", "club", "escort-agency", "independent-licensed", "home", "street-zone", "street", "out",
};
static const char *const sector_names[PSIM_N_SECTORS] = { "licensed", "unlicensed", "illegal" };
static const char *const venue_names[PSIM_N_VENUES] = { "window", "club", "escort-agency" };
static const char *const home_names[] = { "allowed", "non-commercial", "licence-required", "banned" };
static const char *const participation_names[PSIM_N_PARTICIPATION] = {
  "none", "inform", "consult", "shared-decision-making", "sex-worker-led", "equal-partnership",
};
static const char *const gender_names[PSIM_N_GENDERS] = { "female", "male", "trans" };
static const char *const origin_names[PSIM_N_ORIGINS] = { "dutch", "eu", "non-eu-permit", "undocumented" };

#define NAME_OF(table, value) \
  (((unsigned) (value) < G_N_ELEMENTS (table)) ? (table)[(value)] : "?")

const char *psim_mode_name (PsimMode mode) { return NAME_OF (mode_names, mode); }
const char *psim_sector_name (PsimSector sector) { return NAME_OF (sector_names, sector); }
const char *psim_venue_name (PsimVenue venue) { return NAME_OF (venue_names, venue); }
const char *psim_home_regime_name (PsimHomeRegime regime) { return NAME_OF (home_names, regime); }
const char *psim_participation_name (PsimParticipation level) { return NAME_OF (participation_names, level); }
const char *psim_gender_name (PsimGender gender) { return NAME_OF (gender_names, gender); }
const char *psim_origin_name (PsimOrigin origin) { return NAME_OF (origin_names, origin); }

/* ---------- rules ---------- */

/* Where no file says otherwise: no caps, home work allowed, no registration or
 * intake, minimum age 18 (the national age since 2000), no enforcement, no
 * participation, none of the criminal-law levers. The bundled region states
 * its national rules explicitly, so these defaults matter only for files that
 * leave a lever out. */
void
psim_rules_init_defaults (PsimRules *rules)
{
  memset (rules, 0, sizeof *rules);
  for (int v = 0; v < PSIM_N_VENUES; v++)
    rules->permit_cap[v] = PSIM_UNLIMITED;
  rules->home_regime = PSIM_HOME_ALLOWED;
  rules->minimum_age = 18;
  rules->participation = PSIM_PARTICIPATION_NONE;
}

void
psim_rules_apply (PsimRules *base, const PsimRules *over)
{
  uint32_t s = over->set;
  if (s & PSIM_RULE_CAP_WINDOW) base->permit_cap[PSIM_VENUE_WINDOW] = over->permit_cap[PSIM_VENUE_WINDOW];
  if (s & PSIM_RULE_CAP_CLUB) base->permit_cap[PSIM_VENUE_CLUB] = over->permit_cap[PSIM_VENUE_CLUB];
  if (s & PSIM_RULE_CAP_ESCORT_AGENCY)
    base->permit_cap[PSIM_VENUE_ESCORT_AGENCY] = over->permit_cap[PSIM_VENUE_ESCORT_AGENCY];
  if (s & PSIM_RULE_HOME_WORK)
    {
      base->home_regime = over->home_regime;
      base->home_licences = over->home_licences;
    }
  if (s & PSIM_RULE_INDEPENDENT_LICENCES) base->independent_licences_per_year = over->independent_licences_per_year;
  if (s & PSIM_RULE_REGISTRATION) base->registration = over->registration;
  if (s & PSIM_RULE_OPERATOR_INTAKE) base->operator_intake = over->operator_intake;
  if (s & PSIM_RULE_GGD_INTAKE) base->ggd_intake = over->ggd_intake;
  if (s & PSIM_RULE_MINIMUM_AGE) base->minimum_age = over->minimum_age;
  if (s & PSIM_RULE_ENFORCEMENT) base->enforcement = over->enforcement;
  if (s & PSIM_RULE_PARTICIPATION) base->participation = over->participation;
  if (s & PSIM_RULE_SW_ORGANISATION) base->sw_organisation = over->sw_organisation;
  if (s & PSIM_RULE_PIMPING_BAN) base->pimping_ban = over->pimping_ban;
  if (s & PSIM_RULE_CLIENT_CRIMINALISATION) base->client_criminalisation = over->client_criminalisation;
  if (s & PSIM_RULE_DECRIMINALISATION) base->decriminalisation = over->decriminalisation;
  if (s & PSIM_RULE_MIXED_USE) base->mixed_use = over->mixed_use;
  if (s & PSIM_RULE_WORKER_RUN) base->worker_run = over->worker_run;
  base->set |= s;
}

/* ---------- freeing ---------- */

void
psim_event_clear (PsimEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->actions);
  g_free (event->source);
  memset (event, 0, sizeof *event);
}

void
psim_municipality_clear (PsimMunicipality *m)
{
  if (m == NULL)
    return;
  g_free (m->name);
  g_free (m->cbs_code);
  for (int i = 0; i < m->n_areas; i++)
    {
      g_free (m->areas[i].id);
      g_free (m->areas[i].name);
    }
  g_free (m->areas);
  for (int i = 0; i < m->n_zones; i++)
    {
      g_free (m->zones[i].id);
      g_free (m->zones[i].name);
    }
  g_free (m->zones);
  for (int i = 0; i < m->n_events; i++)
    psim_event_clear (&m->events[i]);
  g_free (m->events);
  g_free (m->path);
  memset (m, 0, sizeof *m);
}

void
psim_region_free (PsimRegion *region)
{
  if (region == NULL)
    return;
  for (int i = 0; i < region->n_municipalities; i++)
    psim_municipality_clear (&region->municipalities[i]);
  g_free (region->municipalities);
  g_free (region->name);
  g_free (region->parameters_path);
  g_free (region->path);
  g_free (region);
}

void
psim_scenario_free (PsimScenario *scenario)
{
  if (scenario == NULL)
    return;
  for (int i = 0; i < scenario->n_changes; i++)
    {
      PsimChange *c = &scenario->changes[i];
      g_free (c->municipality);
      g_free (c->actions);
      if (c->action_refs != NULL)
        for (int j = 0; j < c->n_actions; j++)
          g_free (c->action_refs[j]);
      g_free (c->action_refs);
    }
  g_free (scenario->changes);
  g_free (scenario->name);
  g_free (scenario->title);
  for (int i = 0; i < scenario->n_titles; i++)
    {
      g_free (scenario->titles[i].lang);
      g_free (scenario->titles[i].text);
    }
  g_free (scenario->titles);
  g_free (scenario->description);
  g_free (scenario->path);
  g_free (scenario);
}

/* ---------- titles by language ---------- */

/* The length of a tag's primary subtag ("nl" of "nl-BE"). */
static size_t
primary_length (const char *tag)
{
  size_t n = 0;
  while (tag[n] != '\0' && tag[n] != '-')
    n++;
  return n;
}

int
psim_lang_tag_match (const char *tag, const char *lang)
{
  if (tag == NULL || lang == NULL || *tag == '\0' || *lang == '\0')
    return 0;
  if (g_ascii_strcasecmp (tag, lang) == 0)
    return 2;
  size_t n = primary_length (tag);
  if (n == primary_length (lang) && g_ascii_strncasecmp (tag, lang, n) == 0)
    return 1;
  return 0;
}

const char *
psim_title_pick (const PsimTitle *titles, int n_titles, const char *lang)
{
  const char *best = NULL;
  int best_match = 0;
  for (int i = 0; i < n_titles; i++)
    {
      int match = psim_lang_tag_match (titles[i].lang, lang);
      if (match > best_match && titles[i].text != NULL && *titles[i].text != '\0')
        {
          best = titles[i].text;
          best_match = match;
        }
    }
  return best;
}

const char *
psim_scenario_title (const PsimScenario *scenario, const char *lang)
{
  g_return_val_if_fail (scenario != NULL, NULL);
  const char *title = psim_title_pick (scenario->titles, scenario->n_titles, lang);
  if (title == NULL && scenario->title != NULL && *scenario->title != '\0')
    title = scenario->title;
  return title != NULL ? title : scenario->name;
}
