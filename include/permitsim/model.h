/* permitsim: the in-memory model of the inputs.
 *
 * What the loader builds from the XML files and the engine reads: regions,
 * municipalities, their workplaces, the rules in force (levers), dated events
 * and scenarios. Plain C structs with counts; no libxml2, no stdio. The
 * parameters live in params.h. Everything here is aggregates: counts, rules
 * and published figures, never data about a person.
 */
#ifndef PERMITSIM_MODEL_H
#define PERMITSIM_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

#include "permitsim/params.h"

G_BEGIN_DECLS

/* ---------- dates ---------- */

/* A calendar date as a day number (GLib's Julian day: 0001-01-01 is day 1). */
typedef int32_t PsimDate;
#define PSIM_DATE_NONE ((PsimDate) 0)

PsimDate psim_date_from_ymd (int year, int month, int day);
/* Parses "YYYY-MM-DD"; returns PSIM_DATE_NONE when it is not a valid date. */
PsimDate psim_date_parse (const char *iso);
/* Writes "YYYY-MM-DD" into buf (at least 11 bytes). */
void psim_date_format (PsimDate date, char buf[static 11]);
int psim_date_year (PsimDate date);

/* ---------- enumerations ---------- */

typedef enum {
  PSIM_MODE_WINDOW,
  PSIM_MODE_CLUB,
  PSIM_MODE_ESCORT_AGENCY,
  PSIM_MODE_INDEPENDENT_LICENSED,
  PSIM_MODE_HOME,
  PSIM_MODE_STREET_ZONE,
  PSIM_MODE_STREET,
  PSIM_MODE_OUT,
  PSIM_N_MODES
} PsimMode;

typedef enum {
  PSIM_SECTOR_LICENSED,
  PSIM_SECTOR_UNLICENSED,
  PSIM_SECTOR_ILLEGAL,
  PSIM_N_SECTORS
} PsimSector;

typedef enum {
  PSIM_VENUE_WINDOW,
  PSIM_VENUE_CLUB,
  PSIM_VENUE_ESCORT_AGENCY,
  PSIM_N_VENUES
} PsimVenue;

typedef enum {
  PSIM_HOME_ALLOWED,
  PSIM_HOME_NON_COMMERCIAL,
  PSIM_HOME_LICENCE_REQUIRED,
  PSIM_HOME_BANNED
} PsimHomeRegime;

typedef enum {
  PSIM_PARTICIPATION_NONE,
  PSIM_PARTICIPATION_INFORM,
  PSIM_PARTICIPATION_CONSULT,
  PSIM_PARTICIPATION_SHARED_DECISION_MAKING,
  PSIM_PARTICIPATION_SEX_WORKER_LED,
  PSIM_PARTICIPATION_EQUAL_PARTNERSHIP,
  PSIM_N_PARTICIPATION
} PsimParticipation;

typedef enum {
  PSIM_GENDER_FEMALE,
  PSIM_GENDER_MALE,
  PSIM_GENDER_TRANS,
  PSIM_N_GENDERS
} PsimGender;

typedef enum {
  PSIM_ORIGIN_DUTCH,
  PSIM_ORIGIN_EU,
  PSIM_ORIGIN_NON_EU_PERMIT, /* non-EU, with a residence permit but no right to do sex work */
  PSIM_ORIGIN_UNDOCUMENTED,
  PSIM_N_ORIGINS
} PsimOrigin;

/* Names as they appear in files and outputs ("escort-agency", "licence-required", ...). */
const char *psim_mode_name (PsimMode mode);           /* "window" ... "out" */
const char *psim_sector_name (PsimSector sector);     /* "licensed" ... */
const char *psim_venue_name (PsimVenue venue);        /* "window", "club", "escort-agency" */
const char *psim_home_regime_name (PsimHomeRegime regime);
const char *psim_participation_name (PsimParticipation level);
const char *psim_gender_name (PsimGender gender);
const char *psim_origin_name (PsimOrigin origin);     /* "dutch", "eu", "non-eu-permit", "undocumented" */

/* ---------- rules (levers) ---------- */

#define PSIM_UNLIMITED INT32_MAX

/* Which fields of a PsimRules a file actually set: a rule set read from a
 * municipality, an event or a scenario is partial and is laid over the rules
 * already in force with psim_rules_apply(). */
typedef enum {
  PSIM_RULE_CAP_WINDOW = 1u << 0,
  PSIM_RULE_CAP_CLUB = 1u << 1,
  PSIM_RULE_CAP_ESCORT_AGENCY = 1u << 2,
  PSIM_RULE_HOME_WORK = 1u << 3, /* regime and home_licences */
  PSIM_RULE_INDEPENDENT_LICENCES = 1u << 4,
  PSIM_RULE_REGISTRATION = 1u << 5,
  PSIM_RULE_OPERATOR_INTAKE = 1u << 6,
  PSIM_RULE_GGD_INTAKE = 1u << 7,
  PSIM_RULE_MINIMUM_AGE = 1u << 8,
  PSIM_RULE_ENFORCEMENT = 1u << 9,
  PSIM_RULE_PARTICIPATION = 1u << 10,
  PSIM_RULE_SW_ORGANISATION = 1u << 11,
  PSIM_RULE_PIMPING_BAN = 1u << 12,
  PSIM_RULE_CLIENT_CRIMINALISATION = 1u << 13,
  PSIM_RULE_DECRIMINALISATION = 1u << 14,
  PSIM_RULE_MIXED_USE = 1u << 15,
  PSIM_RULE_WORKER_RUN = 1u << 16,
  PSIM_RULE_ALL = (1u << 17) - 1
} PsimRuleField;

typedef struct {
  uint32_t set; /* PsimRuleField bits: which of the fields below are given */
  int32_t permit_cap[PSIM_N_VENUES]; /* max windows / clubs / agencies; PSIM_UNLIMITED */
  PsimHomeRegime home_regime;
  int32_t home_licences;               /* with LICENCE_REQUIRED: licences actually granted */
  int32_t independent_licences_per_year; /* PSIM_UNLIMITED: granted on demand */
  bool registration;                   /* local registration duty */
  bool operator_intake;                /* operator "self-reliance" intake interviews */
  bool ggd_intake;                     /* mandatory intake and registration at the GGD */
  int32_t minimum_age;                 /* years */
  double enforcement;                  /* inspections per worker-year, unlicensed + illegal */
  PsimParticipation participation;
  bool sw_organisation;                /* a sex-worker-led organisation is present */
  bool pimping_ban;
  bool client_criminalisation;
  bool decriminalisation;
  bool mixed_use;                      /* windows by night, workspace by day */
  bool worker_run;                     /* worker-run venues allowed */
} PsimRules;

/* The rules that hold where no file says otherwise (documented in the README). */
void psim_rules_init_defaults (PsimRules *rules);
/* Lays every field that `over` sets onto `base` (and marks it set in base). */
void psim_rules_apply (PsimRules *base, const PsimRules *over);

/* ---------- actions and events ---------- */

typedef enum {
  PSIM_ACTION_RULES,             /* rules: a partial rule set */
  PSIM_ACTION_CLOSE_WINDOWS,     /* target area (or all), count (or all) */
  PSIM_ACTION_OPEN_WINDOWS,      /* target area, count (or the area's own window count) */
  PSIM_ACTION_CLOSE_STREET_ZONE, /* target zone */
  PSIM_ACTION_OPEN_STREET_ZONE,  /* target zone */
  PSIM_ACTION_SET_CLUBS,         /* count */
  PSIM_ACTION_SET_ESCORT_AGENCIES, /* count */
  PSIM_ACTION_SET_SEX_WORKERS    /* count: the demand for workers changes */
} PsimActionKind;

#define PSIM_ALL (-1)

typedef struct {
  PsimActionKind kind;
  int32_t target;  /* area or zone index in its municipality; PSIM_ALL for every one */
  int32_t count;   /* PSIM_ALL: the whole area */
  PsimRules rules; /* for PSIM_ACTION_RULES */
  int line;        /* where it was read, for messages (0 when unknown) */
} PsimAction;

typedef struct {
  PsimDate date;
  PsimAction *actions;
  int n_actions;
  char *source;    /* may be NULL */
  int line;
} PsimEvent;

/* ---------- municipality and region ---------- */

typedef struct {
  char *id;
  char *name;
  int32_t windows;
  PsimDate opened; /* PSIM_DATE_NONE: open before the period starts */
  PsimDate closed; /* PSIM_DATE_NONE: not closed */
  int line;
} PsimWindowArea;

typedef struct {
  char *id;
  char *name;
  int32_t capacity; /* workers at a time */
  PsimDate opened;
  PsimDate closed;
  int line;
} PsimStreetZone;

typedef struct {
  char *name;
  char *cbs_code;
  int64_t population;
  int32_t sex_workers;  /* workers the local market supports at the start (demand) */
  double gender_mix[PSIM_N_GENDERS];
  double origin_mix[PSIM_N_ORIGINS];
  PsimWindowArea *areas;
  int n_areas;
  PsimStreetZone *zones;
  int n_zones;
  int32_t clubs;
  int32_t escort_agencies;
  PsimRules rules;      /* partial: laid over the region's national rules */
  PsimEvent *events;    /* sorted by date, file order kept within a date */
  int n_events;
  char *path;           /* the file it was read from */
} PsimMunicipality;

typedef struct {
  char *name;
  PsimDate from, to;    /* the default period */
  PsimRules national_rules;
  PsimMunicipality *municipalities;
  int n_municipalities;
  char *parameters_path; /* resolved against the region file's folder */
  char *path;
} PsimRegion;

/* ---------- scenarios ---------- */

typedef struct {
  PsimDate from;
  char *municipality; /* NULL: every municipality of the region */
  PsimAction *actions; /* area/zone targets are resolved when the scenario is
                          bound to a region (psim_scenario_bind) */
  char **action_refs;  /* per action: the area or zone id as written (or NULL) */
  int n_actions;
  int line;
} PsimChange;

/* A title in one language: the tag as written in xml:lang ("nl", "en-GB"). */
typedef struct {
  char *lang;
  char *text;
  int line;
} PsimTitle;

typedef struct {
  char *name;          /* e.g. "lift-maximum-policy" */
  char *title;         /* the default: the <title> without xml:lang, else the
                          first one with a language; NULL when there is none */
  PsimTitle *titles;   /* the titles with a language, in file order */
  int n_titles;
  char *description;
  PsimChange *changes;
  int n_changes;
  char *path;
} PsimScenario;

/* Whether a language tag (as written in a file or a manifest) is for the
 * language `lang` ("nl", "en"): 2 when they are equal, 1 when they share the
 * primary subtag ("nl-BE" for "nl", or "nl" for "nl-NL"), 0 otherwise.
 * Tags compare without regard to case, as BCP 47 says. */
int psim_lang_tag_match (const char *tag, const char *lang);
/* The text of the title that best matches `lang` (an exact tag before one
 * that shares only the primary subtag, the first in order among equals), or
 * NULL when none does. */
const char *psim_title_pick (const PsimTitle *titles, int n_titles, const char *lang);
/* A scenario's title for readers of `lang`: the title in that language where
 * the file gives one, else the default title, else the name. */
const char *psim_scenario_title (const PsimScenario *scenario, const char *lang);

void psim_region_free (PsimRegion *region);
void psim_municipality_clear (PsimMunicipality *municipality);
void psim_scenario_free (PsimScenario *scenario);
void psim_event_clear (PsimEvent *event);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsimRegion, psim_region_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsimScenario, psim_scenario_free)

G_END_DECLS

#endif /* PERMITSIM_MODEL_H */
