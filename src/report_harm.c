/* permitsim: the harm check of the report (the brochure's recommendation 4:
 * check every measure for unwanted negative effects on the safety, health
 * and autonomy of sex workers). One table says which outcomes are judged and
 * which direction harms; the rule itself is in psim_harm_check. */
#include <math.h>

#include "chart_private.h"

typedef struct {
  PsimHarmRule rule; /* first, so that a rule pointer is a row pointer */
  PsimMetricId metric;
  PsimTextId phrase;
} HarmRow;

/* Judged outcomes and the harmful direction. Not judged, on purpose: worker
 * and place counts (neither direction is harm in itself), inspections,
 * exploitation detected and exits (they rise with more exploitation and with
 * better detection alike), report counts (they rise with incidents). */
static const HarmRow rows[] = {
  { { "physical_12m", PSIM_HARM_WHEN_UP, PSIM_HARM_SAFETY }, PSIM_M_PHYSICAL_12M, PSIM_T_H_PHYSICAL },
  { { "sexual_12m", PSIM_HARM_WHEN_UP, PSIM_HARM_SAFETY }, PSIM_M_SEXUAL_12M, PSIM_T_H_SEXUAL },
  { { "financial_12m", PSIM_HARM_WHEN_UP, PSIM_HARM_SAFETY }, PSIM_M_FINANCIAL_12M, PSIM_T_H_FINANCIAL },
  { { "social_12m", PSIM_HARM_WHEN_UP, PSIM_HARM_SAFETY }, PSIM_M_SOCIAL_12M, PSIM_T_H_SOCIAL },
  { { "incidents", PSIM_HARM_WHEN_UP, PSIM_HARM_SAFETY }, PSIM_M_INCIDENTS, PSIM_T_H_INCIDENTS },
  { { "exploited", PSIM_HARM_WHEN_UP, PSIM_HARM_SAFETY }, PSIM_M_EXPLOITED, PSIM_T_H_EXPLOITED },
  { { "reporting_rate", PSIM_HARM_WHEN_DOWN, PSIM_HARM_JUSTICE }, PSIM_M_REPORTING_RATE, PSIM_T_H_REPORTING_RATE },
  { { "reported_12m", PSIM_HARM_WHEN_DOWN, PSIM_HARM_JUSTICE }, PSIM_M_REPORTED_12M, PSIM_T_H_REPORTED },
  { { "tested_12m", PSIM_HARM_WHEN_DOWN, PSIM_HARM_CARE }, PSIM_M_TESTED_12M, PSIM_T_H_TESTED },
  { { "illegal_share", PSIM_HARM_WHEN_UP, PSIM_HARM_AUTONOMY }, PSIM_M_ILLEGAL_SHARE, PSIM_T_H_ILLEGAL_SHARE },
  { { "waiting", PSIM_HARM_WHEN_UP, PSIM_HARM_AUTONOMY }, PSIM_M_WAITING, PSIM_T_H_WAITING },
  { { "window_rent", PSIM_HARM_WHEN_UP, PSIM_HARM_AUTONOMY }, PSIM_M_WINDOW_RENT, PSIM_T_H_WINDOW_RENT },
  { { "fines", PSIM_HARM_WHEN_UP, PSIM_HARM_AUTONOMY }, PSIM_M_FINES, PSIM_T_H_FINES },
  { { "evictions", PSIM_HARM_WHEN_UP, PSIM_HARM_AUTONOMY }, PSIM_M_EVICTIONS, PSIM_T_H_EVICTIONS },
  { { "outings", PSIM_HARM_WHEN_UP, PSIM_HARM_AUTONOMY }, PSIM_M_OUTINGS, PSIM_T_H_OUTINGS },
};

gsize
psim_harm_rule_count (void)
{
  return G_N_ELEMENTS (rows);
}

const PsimHarmRule *
psim_harm_rule (gsize index)
{
  g_return_val_if_fail (index < G_N_ELEMENTS (rows), NULL);
  return &rows[index].rule;
}

PsimMetricId
psim_harm_rule_metric (const PsimHarmRule *rule)
{
  return ((const HarmRow *) rule)->metric;
}

PsimTextId
psim_harm_rule_phrase (const PsimHarmRule *rule)
{
  return ((const HarmRow *) rule)->phrase;
}

PsimTextId
psim_harm_domain_text (PsimHarmDomain domain)
{
  switch (domain)
    {
    case PSIM_HARM_SAFETY: return PSIM_T_DOMAIN_SAFETY;
    case PSIM_HARM_JUSTICE: return PSIM_T_DOMAIN_JUSTICE;
    case PSIM_HARM_CARE: return PSIM_T_DOMAIN_CARE;
    case PSIM_HARM_AUTONOMY:
    default: return PSIM_T_DOMAIN_AUTONOMY;
    }
}

/* "Worse beyond the uncertainty": with at least two paired replications, the
 * 90% interval of the paired differences (scenario - baseline, same seed)
 * lies entirely on the harmful side of zero (p05 > 0 when up is harmful,
 * p95 < 0 when down is). Without pairs (different replication numbers), the
 * two 90% intervals do not overlap, on the harmful side. */
GArray *
psim_harm_check (const PsimChartData *data, int scenario, int year_index, PsimHarmStatus *status)
{
  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (scenario >= 0 && scenario < psim_chart_data_n_scenarios (data), NULL);
  g_return_val_if_fail (year_index >= 0 && year_index < data->n_years, NULL);
  GArray *findings = g_array_new (FALSE, TRUE, sizeof (PsimHarmFinding));
  PsimHarmStatus st = data->n_replications >= 2 ? PSIM_HARM_ASSESSED : PSIM_HARM_NOT_ASSESSED;
  if (status != NULL)
    *status = st;
  if (scenario == 0 || st == PSIM_HARM_NOT_ASSESSED)
    return findings;

  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      const HarmRow *row = &rows[i];
      PsimHarmFinding f = { 0 };
      f.scenario = scenario;
      f.rule = &row->rule;
      psim_chart_data_paired_difference (data, scenario, year_index, row->metric, &f.difference);
      gboolean up = row->rule.harmful == PSIM_HARM_WHEN_UP;
      gboolean harmful;
      if (f.difference.n >= 2)
        {
          f.paired = TRUE;
          harmful = up ? f.difference.p05 > 0 : f.difference.p95 < 0;
        }
      else
        {
          PsimBand s, b;
          psim_chart_data_band_annual (data, scenario, year_index, row->metric, &s);
          psim_chart_data_band_annual (data, 0, year_index, row->metric, &b);
          harmful = s.n >= 2 && b.n >= 2 && (up ? s.p05 > b.p95 : s.p95 < b.p05);
        }
      if (!harmful)
        continue;
      psim_chart_data_band (data, scenario, year_index, row->metric, &f.value);
      psim_chart_data_band (data, 0, year_index, row->metric, &f.baseline);
      g_array_append_val (findings, f);
    }
  return findings;
}
