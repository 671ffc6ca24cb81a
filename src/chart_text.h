/* permitsim: every word the charts and the report show, in English and Dutch.
 * One table, so that a translation is reviewed in one place. Templates use
 * {name} placeholders (filled by psim_text_fill), never printf formats, so
 * that a translator may reorder them. Private to the chart and report code. */
#ifndef PSIM_CHART_TEXT_H
#define PSIM_CHART_TEXT_H

/* X (ID, "English", "Nederlands") */
#define PSIM_TEXTS(X) \
  X (NONE, "", "") \
  /* axes, legends, captions */ \
  X (YEAR, "Year", "Jaar") \
  X (BAND_NOTE, "Line: median over replications. Shaded band: 90% interval (5th to 95th percentile).", \
     "Lijn: mediaan over de herhalingen. Gekleurde band: 90%-interval (5e tot 95e percentiel).") \
  X (WHISKER_NOTE, "Bar: median over replications. Black line: 90% interval (5th to 95th percentile).", \
     "Staaf: mediaan over de herhalingen. Zwart lijntje: 90%-interval (5e tot 95e percentiel).") \
  /* what the intervals hold, by the manifest's "uncertainty" (psim_chart_uncertainty) */ \
  X (INTERVAL_CHANCE, "The interval shows only chance between replications, not the uncertainty in the model's " \
     "assumptions.", \
     "Het interval toont alleen het toeval tussen herhalingen, niet de onzekerheid in de aannames van het model.") \
  X (INTERVAL_PARAMETERS, "The interval shows chance and the parameters drawn over their ranges (Latin " \
     "hypercube), not the uncertainty in the model's structure.", \
     "Het interval toont het toeval en de parameters, getrokken over hun bereik (Latijnse hyperkubus), niet de " \
     "onzekerheid in de opbouw van het model.") \
  X (BASELINE_SUFFIX, "(baseline)", "(basisscenario)") \
  X (BASELINE_NAME, "Baseline", "Basisscenario") \
  X (CAPTION_SCENARIOS, "Scenarios: {list}.", "Scenario's: {list}.") \
  X (CAPTION_RUNS, "{n} replications per scenario, seed {seed}.", "{n} herhalingen per scenario, seed {seed}.") \
  X (CAPTION_RUN_ONE, "1 replication per scenario (so no interval), seed {seed}.", \
     "1 herhaling per scenario (dus geen interval), seed {seed}.") \
  X (CAPTION_MUNICIPALITY_FILES, "{n} municipality files", "{n} gemeentebestanden") \
  X (CAPTION_HASHES, "all hashes in manifest.json", "alle hashes in manifest.json") \
  X (CAPTION_MODEL, "Model: permitsim {version}.", "Model: permitsim {version}.") \
  X (CAPTION_DATA, "Data: {inputs}.", "Gegevens: {inputs}.") \
  X (CAPTION_FROM_SUMMARY, "Medians and intervals from summary.csv.", "Medianen en intervallen uit summary.csv.") \
  X (CAPTION_FROM_ANNUAL, "Medians and intervals computed from annual.csv.", \
     "Medianen en intervallen berekend uit annual.csv.") \
  X (UNKNOWN, "unknown", "onbekend") \
  X (NO_DATA, "no data", "geen gegevens") \
  X (WHOLE_REGION, "whole region", "hele regio") \
  /* chart titles */ \
  X (WORKERS_TITLE, "Where sex workers work: licensed, unlicensed, illegal", \
     "Waar sekswerkers werken: vergund, onvergund, illegaal") \
  X (WORKERS_SUB, "Workers at the end of each year, by sector, {region}", \
     "Sekswerkers aan het eind van elk jaar, per sector, {region}") \
  X (VIOLENCE_TITLE, "Violence in the past 12 months, by type", "Geweld in de afgelopen 12 maanden, naar soort") \
  X (VIOLENCE_SUB, "Share of sex workers who experienced each type at least once, {year}, {region}", \
     "Aandeel sekswerkers dat elke soort minstens één keer meemaakte, {year}, {region}") \
  X (REPTEST_TITLE, "Access to justice and to care", "Toegang tot recht en tot zorg") \
  X (REPTEST_SUB, "Violent incidents reported to the police, and sex workers tested for STI/HIV, {region}", \
     "Geweldsincidenten gemeld bij de politie, en sekswerkers getest op soa/hiv, {region}") \
  X (EXPLOITATION_TITLE, "Exploitation: how much there is, and how much is detected", \
     "Uitbuiting: hoeveel er is, en hoeveel wordt gesignaleerd") \
  X (EXPLOITATION_SUB, "People in an exploitative situation at year end, and detections during the year, {region}", \
     "Mensen in een uitbuitingssituatie aan het eind van het jaar, en signaleringen in het jaar, {region}") \
  X (PLACES_TITLE, "Licensed places and the waiting list", "Vergunde werkplekken en de wachtlijst") \
  X (PLACES_SUB, "Both panels on the same scale, {region}", "Beide panelen op dezelfde schaal, {region}") \
  X (MOVES_TITLE, "Net moves between municipalities", "Netto verhuizingen tussen gemeenten") \
  X (MOVES_SUB, "Sex workers moving in minus moving out, {year}. Positive: the municipality gains workers.", \
     "Sekswerkers die komen min sekswerkers die vertrekken, {year}. Positief: de gemeente krijgt er sekswerkers bij.") \
  /* axis units */ \
  X (U_WORKERS, "workers at year end", "sekswerkers aan het eind van het jaar") \
  X (U_PCT_WORKERS_12M, "% of workers, past 12 months", "% van de sekswerkers, afgelopen 12 maanden") \
  X (U_PCT_INCIDENTS, "% of incidents in the year", "% van de incidenten in het jaar") \
  X (U_PCT_WORKERS, "% of workers at year end", "% van de sekswerkers aan het eind van het jaar") \
  X (U_PEOPLE, "people at year end", "personen aan het eind van het jaar") \
  X (U_PER_YEAR, "number in the year", "aantal in het jaar") \
  X (U_INCIDENTS, "incidents in the year", "incidenten in het jaar") \
  X (U_DETECTIONS, "detections in the year", "signaleringen in het jaar") \
  X (U_PLACES, "places at year end", "werkplekken aan het eind van het jaar") \
  X (U_APPLICANTS, "applicants at year end", "aanvragers aan het eind van het jaar") \
  X (U_EUROS_WEEK, "euros per week", "euro per week") \
  X (U_NET_MOVES, "workers in the year (in minus out)", "sekswerkers in het jaar (komen min vertrekken)") \
  X (U_MUNICIPALITY, "Municipality", "Gemeente") \
  X (U_VIOLENCE_TYPE, "Type of violence", "Soort geweld") \
  X (PP, "pp", "%-punt") \
  X (TO, "to", "tot") \
  /* outcomes */ \
  X (M_WORKERS, "Active sex workers", "Actieve sekswerkers") \
  X (M_LICENSED, "Licensed sector", "Vergunde sector") \
  X (M_UNLICENSED, "Unlicensed sector", "Onvergunde sector") \
  X (M_ILLEGAL, "Illegal sector", "Illegale sector") \
  X (M_ILLEGAL_SHARE, "Working illegally", "Werkt illegaal") \
  X (M_PHYSICAL, "Physical violence", "Fysiek geweld") \
  X (M_SEXUAL, "Sexual violence", "Seksueel geweld") \
  X (M_FINANCIAL, "Financial or economic violence", "Financieel-economisch geweld") \
  X (M_SOCIAL, "Social-emotional violence", "Sociaal-emotioneel geweld") \
  X (M_INCIDENTS, "Violent incidents", "Geweldsincidenten") \
  X (M_REPORTS, "Incidents reported to the police", "Incidenten gemeld bij de politie") \
  X (M_REPORTING_RATE, "Incidents reported to the police", "Incidenten gemeld bij de politie") \
  X (M_REPORTED, "Reported violence to the police", "Deed melding van geweld bij de politie") \
  X (M_TESTED, "Tested for STI/HIV", "Getest op soa/hiv") \
  X (M_EXPLOITED, "People in exploitation", "Mensen in uitbuiting") \
  X (M_DETECTED, "Exploitation detected", "Gesignaleerde uitbuiting") \
  X (M_EXITS, "Exits from exploitation", "Uit uitbuiting gekomen") \
  X (M_WAITING, "Waiting for a licensed place", "Wachtend op een vergunde werkplek") \
  X (M_LICENSED_PLACES, "Licensed places", "Vergunde werkplekken") \
  X (M_WINDOW_RENT, "Window rent", "Raamhuur") \
  X (M_INSPECTIONS, "Inspections", "Controles") \
  X (M_FINES, "Fines", "Boetes") \
  X (M_EVICTIONS, "Evictions", "Uitzettingen") \
  X (M_OUTINGS, "Forced outings", "Gedwongen outing") \
  X (M_MOVED_IN, "Moved in", "Gekomen") \
  X (M_MOVED_OUT, "Moved out", "Vertrokken") \
  X (M_NET_MOVES, "Net moves", "Netto verhuizingen") \
  /* the harm check: "Under <scenario>, <phrase>: ..." */ \
  X (H_PHYSICAL, "more sex workers experience physical violence", "maken meer sekswerkers fysiek geweld mee") \
  X (H_SEXUAL, "more sex workers experience sexual violence", "maken meer sekswerkers seksueel geweld mee") \
  X (H_FINANCIAL, "more sex workers experience financial or economic violence", \
     "maken meer sekswerkers financieel-economisch geweld mee") \
  X (H_SOCIAL, "more sex workers experience social-emotional violence", \
     "maken meer sekswerkers sociaal-emotioneel geweld mee") \
  X (H_INCIDENTS, "more violent incidents happen", "vinden meer geweldsincidenten plaats") \
  X (H_EXPLOITED, "more people are in an exploitative situation", "zijn meer mensen in een uitbuitingssituatie") \
  X (H_REPORTING_RATE, "a smaller share of violent incidents is reported to the police", \
     "wordt een kleiner deel van de geweldsincidenten bij de politie gemeld") \
  X (H_REPORTED, "fewer sex workers report violence to the police", "melden minder sekswerkers geweld bij de politie") \
  X (H_TESTED, "fewer sex workers get tested for STI/HIV", "laten minder sekswerkers zich testen op soa/hiv") \
  X (H_ILLEGAL_SHARE, "more sex workers work illegally", "werken meer sekswerkers illegaal") \
  X (H_WAITING, "more sex workers wait for a licensed place", "wachten meer sekswerkers op een vergunde werkplek") \
  X (H_WINDOW_RENT, "window rent is higher", "is de raamhuur hoger") \
  X (H_FINES, "sex workers get more fines", "krijgen sekswerkers meer boetes") \
  X (H_EVICTIONS, "more sex workers are evicted", "worden meer sekswerkers uitgezet") \
  X (H_OUTINGS, "more sex workers are outed against their will", "worden meer sekswerkers tegen hun wil geout") \
  X (HARM_SENTENCE, \
     "Under “{scenario}”, {phrase}: {value} vs {baseline} in the baseline (difference {diff}; 90% interval {low} to {high}).", \
     "In “{scenario}” {phrase}: {value} tegenover {baseline} in het basisscenario (verschil {diff}; 90%-interval {low} tot {high}).") \
  X (HARM_SENTENCE_UNPAIRED, \
     "Under “{scenario}”, {phrase}: {value} vs {baseline} in the baseline (the 90% intervals do not overlap).", \
     "In “{scenario}” {phrase}: {value} tegenover {baseline} in het basisscenario (de 90%-intervallen overlappen niet).") \
  X (DOMAIN_SAFETY, "safety", "veiligheid") \
  X (DOMAIN_JUSTICE, "access to justice", "toegang tot recht") \
  X (DOMAIN_CARE, "access to care", "toegang tot zorg") \
  X (DOMAIN_AUTONOMY, "autonomy", "autonomie") \
  X (HARMFUL_UP, "it rises", "het stijgt") \
  X (HARMFUL_DOWN, "it falls", "het daalt") \
  /* the report */ \
  X (R_TITLE, "Policy scenarios compared", "Beleidsscenario's vergeleken") \
  X (R_LEDE, "Simulated with permitsim {version}: {n} replications per scenario, seed {seed}, years {first} to {last}. " \
     "Outcomes below are for the {region} in {year}.", \
     "Gesimuleerd met permitsim {version}: {n} herhalingen per scenario, seed {seed}, jaren {first} tot en met {last}. " \
     "De uitkomsten hieronder gelden voor de {region} in {year}.") \
  X (R_CONTENTS, "Contents", "Inhoud") \
  X (R_COMPARED, "What was compared and why", "Wat is vergeleken en waarom") \
  X (R_WHY, "permitsim simulates where sex workers work under municipal permit policy, and what that means for " \
     "their safety, their access to justice and to care, and exploitation. This report compares each scenario " \
     "with the baseline and checks, as recommendation 4 of the brochure “De legale façade” (Proud and SoaAids " \
     "Nederland, 2018) asks, whether a measure has unwanted negative effects on the safety, health and " \
     "autonomy of sex workers.", \
     "permitsim simuleert waar sekswerkers werken onder gemeentelijk vergunningenbeleid, en wat dat betekent " \
     "voor hun veiligheid, hun toegang tot recht en zorg, en uitbuiting. Dit rapport vergelijkt elk scenario " \
     "met het basisscenario en checkt, zoals aanbeveling 4 van de brochure “De legale façade” (Proud en " \
     "SoaAids Nederland, 2018) vraagt, of een maatregel ongewenste negatieve effecten heeft op de veiligheid, " \
     "gezondheid en autonomie van sekswerkers.") \
  X (R_BASELINE, "baseline", "basisscenario") \
  X (R_SUMMARY, "Summary", "Samenvatting") \
  X (R_SUMMARY_INTRO, "Median over replications, with the 90% interval (5th to 95th percentile) in brackets, " \
     "{year}, {region}. The difference with the baseline is taken per replication, against the baseline run " \
     "with the same random numbers; its median and 90% interval are shown. Shares differ in percentage " \
     "points (pp). “Worse” marks an outcome the harm check flags.", \
     "Mediaan over de herhalingen, met het 90%-interval (5e tot 95e percentiel) tussen haakjes, {year}, " \
     "{region}. Het verschil met het basisscenario is per herhaling bepaald, tegen de run van het " \
     "basisscenario met dezelfde toevalsgetallen; de mediaan en het 90%-interval daarvan staan erbij. " \
     "Aandelen verschillen in procentpunten (%-punt). “Slechter” markeert een uitkomst die de schadecheck " \
     "aanwijst.") \
  X (R_INTERVAL_CHANCE, "The intervals show only chance between replications: the uncertainty in the " \
     "model's assumptions (appendix A: most values are assumptions) is not in them, so a difference “beyond " \
     "the uncertainty” is beyond chance, not beyond doubt.", \
     "De intervallen tonen alleen het toeval tussen herhalingen: de onzekerheid in de aannames van het model " \
     "(bijlage A: de meeste waarden zijn aannames) zit er niet in, dus een verschil “voorbij de onzekerheid” " \
     "gaat voorbij het toeval, niet voorbij elke twijfel.") \
  X (R_INTERVAL_PARAMETERS, "The intervals show chance and the parameters drawn over their ranges in appendix A " \
     "(Latin hypercube): ranges that are plausible one by one, not calibrated together, so they can be wider " \
     "than the published figures allow, and say nothing of the uncertainty in the model's structure.", \
     "De intervallen tonen het toeval en de parameters, getrokken over hun bereik in bijlage A (Latijnse " \
     "hyperkubus): bereiken die elk apart plausibel zijn, niet samen gekalibreerd, dus soms ruimer dan de " \
     "gepubliceerde cijfers toelaten, en ze zeggen niets over de onzekerheid in de opbouw van het model.") \
  X (R_UNCERTAINTY_CHANCE, "chance between replications only", "alleen toeval tussen herhalingen") \
  X (R_UNCERTAINTY_PARAMETERS, "chance, and the parameters over their ranges", \
     "toeval, en de parameters over hun bereik") \
  X (R_COL_OUTCOME, "Outcome", "Uitkomst") \
  X (R_COL_SCENARIO, "Scenario", "Scenario") \
  X (R_COL_VALUE, "Median (90% interval)", "Mediaan (90%-interval)") \
  X (R_COL_DIFF, "Difference with the baseline (90% interval)", "Verschil met het basisscenario (90%-interval)") \
  X (R_WORSE, "worse", "slechter") \
  X (R_HARM, "Harm check (recommendation 4)", "Schadecheck (aanbeveling 4)") \
  X (R_HARM_QUOTE_NOTE, "Recommendation 4 of “De legale façade” (in Dutch in the original): “Check carefully, " \
     "for every policy and every measure, that it has no unwanted negative repercussions on the safety, health " \
     "and autonomy of sex workers. Do so together with sex workers.”", \
     "Aanbeveling 4 van “De legale façade”: “Check bij elk beleid en elke maatregel zorgvuldig of die geen " \
     "ongewenste negatieve repercussies heeft op de veiligheid, gezondheid en autonomie van sekswerkers. Doe " \
     "dat samen met sekswerkers.”") \
  X (R_HARM_RULE, "How the check decides: for every replication, the scenario's outcome minus the outcome of " \
     "the baseline run with the same seed (the same random numbers, so that the difference shows the policy " \
     "and not chance). An outcome is flagged when the 90% interval of these differences (5th to 95th " \
     "percentile) lies entirely on the harmful side of zero: worse than the baseline beyond the uncertainty. " \
     "Which side is harmful is fixed per outcome in the table below. Outcomes without a clear harmful " \
     "direction are not judged: detections of exploitation, for example, rise both when there is more " \
     "exploitation and when detection works better. The check only finds what the model can show; it does not " \
     "replace asking sex workers.", \
     "Hoe de check beslist: per herhaling de uitkomst van het scenario min die van de run van het " \
     "basisscenario met dezelfde seed (dezelfde toevalsgetallen, zodat het verschil het beleid laat zien en " \
     "niet het toeval). Een uitkomst wordt aangewezen als het 90%-interval van die verschillen (5e tot 95e " \
     "percentiel) helemaal aan de schadelijke kant van nul ligt: slechter dan het basisscenario, voorbij de " \
     "onzekerheid. Welke kant schadelijk is, ligt per uitkomst vast in de tabel hieronder. Uitkomsten zonder " \
     "duidelijke schadelijke richting worden niet beoordeeld: signaleringen van uitbuiting stijgen " \
     "bijvoorbeeld zowel als er meer uitbuiting is als wanneer signaleren beter lukt. De check vindt alleen " \
     "wat het model kan laten zien; hij vervangt niet het gesprek met sekswerkers.") \
  X (R_HARM_NONE, "Under “{scenario}”, no outcome for safety, justice, care or autonomy gets worse than in the " \
     "baseline beyond the uncertainty.", \
     "In “{scenario}” wordt geen uitkomst voor veiligheid, recht, zorg of autonomie slechter dan in het " \
     "basisscenario, voorbij de onzekerheid.") \
  X (R_HARM_NOT_ASSESSED, "“{scenario}” is not assessed: with fewer than two replications the uncertainty is " \
     "unknown.", \
     "“{scenario}” is niet beoordeeld: met minder dan twee herhalingen is de onzekerheid onbekend.") \
  X (R_HARM_UNPAIRED, "The replications of “{scenario}” do not pair with the baseline's (different replication " \
     "numbers), so its check compares the 90% intervals instead: an outcome is flagged when the intervals do " \
     "not overlap.", \
     "De herhalingen van “{scenario}” vormen geen paren met die van het basisscenario (andere " \
     "herhalingsnummers); de check vergelijkt daarom de 90%-intervallen: een uitkomst wordt aangewezen als de " \
     "intervallen niet overlappen.") \
  X (R_HARM_NO_SCENARIOS, "The results hold only the baseline: there is nothing to compare.", \
     "De resultaten bevatten alleen het basisscenario: er is niets te vergelijken.") \
  X (R_DIRECTIONS, "Which direction is harmful", "Welke richting schadelijk is") \
  X (R_COL_DOMAIN, "Domain", "Domein") \
  X (R_COL_HARMFUL, "Harmful when", "Schadelijk als") \
  X (R_CHARTS, "Charts", "Grafieken") \
  X (R_CHART_SKIPPED, "Not drawn: the results hold only the region as a whole.", \
     "Niet getekend: de resultaten bevatten alleen de regio als geheel.") \
  X (R_ASSUMPTIONS, "Appendix A: assumptions", "Bijlage A: aannames") \
  X (R_ASSUMPTIONS_INTRO, "Every behavioural parameter of the run, with its value, unit, plausible range and " \
     "source. “assumption” means that no published figure supports the value.", \
     "Alle gedragsparameters van de run, met waarde, eenheid, plausibel bereik en bron. “assumption” " \
     "betekent dat geen gepubliceerd cijfer de waarde onderbouwt.") \
  X (R_NO_PARAMETERS, "The manifest lists no parameters.", "Het manifest noemt geen parameters.") \
  X (R_COL_PARAMETER, "Parameter", "Parameter") \
  X (R_COL_VALUE_SHORT, "Value", "Waarde") \
  X (R_COL_UNIT, "Unit", "Eenheid") \
  X (R_COL_RANGE, "Range", "Bereik") \
  X (R_COL_SOURCE, "Source", "Bron") \
  X (R_MANIFEST, "Appendix B: the run", "Bijlage B: de run") \
  X (R_VERSION, "Model version", "Modelversie") \
  X (R_COMMAND, "Command line", "Opdrachtregel") \
  X (R_SEED, "Seed", "Seed") \
  X (R_REPLICATIONS, "Replications per scenario", "Herhalingen per scenario") \
  X (R_CREATED, "Created", "Gemaakt") \
  X (R_UNCERTAINTY, "Uncertainty", "Onzekerheid") \
  X (R_INPUTS, "Input files", "Invoerbestanden") \
  X (R_COL_FILE, "File", "Bestand") \
  X (R_NO_INPUTS, "The manifest lists no input files.", "Het manifest noemt geen invoerbestanden.") \
  X (R_FOOTER, "This report is one self-contained file: it loads nothing from the network and can be printed " \
     "or sent as it is.", \
     "Dit rapport is één zelfstandig bestand: het laadt niets van het netwerk en kan zo worden geprint of " \
     "verstuurd.")

typedef enum {
#define PSIM_TEXT_ENUM(id, en, nl) PSIM_T_##id,
  PSIM_TEXTS (PSIM_TEXT_ENUM)
#undef PSIM_TEXT_ENUM
  PSIM_N_TEXTS
} PsimTextId;

#endif
