#!/usr/bin/env python3
"""Writes the synthetic results directories used by tests/test_chart.c,
tests/test_report.c and tests/cli/chart.sh. Deterministic: run it again and
the files come out byte for byte the same. The numbers are invented; only
their structure (columns, replications paired by seed) follows a real run.

    python3 tests/data/results/generate.py
"""
import json
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))

COLUMNS = ("workers licensed unlicensed illegal window club escort_agency independent_licensed home "
           "street_zone street licensed_places window_places club_places escort_agency_places "
           "independent_licences street_zone_places window_rent waiting moved_in moved_out physical_12m "
           "sexual_12m financial_12m social_12m incidents reports reporting_rate reported_12m tested_12m "
           "exploited exploitation_detected exploitation_exits inspections fines evictions outings").split()
SHARES = {"physical_12m", "sexual_12m", "financial_12m", "social_12m", "reporting_rate", "reported_12m",
          "tested_12m"}
HEADER = ["scenario", "replication", "year", "municipality"] + COLUMNS


def fmt(column, value):
    if value is None:
        return ""
    if column in SHARES:
        return "%.6f" % min(1.0, max(0.0, value))
    if column == "window_rent":
        return "%.2f" % value
    return "%d" % max(0, round(value))


def quote(field):
    if any(c in field for c in ',"\n'):
        return '"' + field.replace('"', '""') + '"'
    return field


def write_csv(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(",".join(header) + "\n")
        for row in rows:
            f.write(",".join(quote(str(x)) for x in row) + "\n")


def region_values(rng, year_index):
    """One replication-year of the baseline, for the whole region."""
    workers = 1000 + rng.gauss(0, 25)
    illegal = 180 + 6 * year_index + rng.gauss(0, 12)
    unlicensed = 200 + rng.gauss(0, 10)
    licensed = workers - illegal - unlicensed
    v = {
        "workers": workers, "licensed": licensed, "unlicensed": unlicensed, "illegal": illegal,
        "window": licensed * 0.3, "club": licensed * 0.45, "escort_agency": licensed * 0.15,
        "independent_licensed": licensed * 0.05, "home": unlicensed + illegal * 0.6,
        "street_zone": licensed * 0.05, "street": illegal * 0.4,
        "licensed_places": 650 - 10 * year_index, "window_places": 200, "club_places": 300,
        "escort_agency_places": 100, "independent_licences": 20, "street_zone_places": 30 - 2 * year_index,
        "window_rent": 150 + 4 * year_index + rng.gauss(0, 3),
        "waiting": 110 + 12 * year_index + rng.gauss(0, 8),
        "physical_12m": 0.60 + rng.gauss(0, 0.015), "sexual_12m": 0.78 + rng.gauss(0, 0.015),
        "financial_12m": 0.58 + rng.gauss(0, 0.015), "social_12m": 0.93 + rng.gauss(0, 0.01),
        "incidents": 2400 + rng.gauss(0, 60), "reporting_rate": 0.20 + rng.gauss(0, 0.012),
        "reported_12m": 0.14 + rng.gauss(0, 0.01), "tested_12m": 0.66 + rng.gauss(0, 0.015),
        "exploited": 52 + rng.gauss(0, 5), "exploitation_detected": 9 + rng.gauss(0, 2),
        "exploitation_exits": 11 + rng.gauss(0, 2), "inspections": 300 + rng.gauss(0, 20),
        "fines": 40 + rng.gauss(0, 5), "evictions": 12 + rng.gauss(0, 3), "outings": 4 + rng.gauss(0, 1.5),
    }
    v["reports"] = v["incidents"] * v["reporting_rate"]
    return v


def scenario_values(name, base, rng):
    """The same replication under a scenario: the baseline's numbers changed by the policy."""
    v = dict(base)
    if name == "registration-duty":
        # built to do harm: sexual violence rises clearly in every replication
        v["sexual_12m"] = base["sexual_12m"] + 0.05 + rng.uniform(0, 0.02)
    elif name == "lift-cap":
        # built to help: violence down, reporting and testing up, fewer illegal workers
        for k, d in (("physical_12m", -0.08), ("sexual_12m", -0.06), ("financial_12m", -0.05),
                     ("social_12m", -0.03), ("reporting_rate", 0.08), ("reported_12m", 0.05),
                     ("tested_12m", 0.06)):
            v[k] = base[k] + d + rng.gauss(0, 0.005)
        v["illegal"] = base["illegal"] - 60
        v["licensed"] = base["licensed"] + 60
        v["waiting"] = base["waiting"] * 0.4
        v["licensed_places"] = base["licensed_places"] + 150
        v["exploited"] = base["exploited"] - 8
        v["incidents"] = base["incidents"] * 0.9
        v["reports"] = v["incidents"] * v["reporting_rate"]
        v["window_rent"] = base["window_rent"] - 20
        v["fines"] = base["fines"] * 0.5
    # "same-as-baseline": changes nothing
    return v


MUNICIPALITIES = ["Utrecht", "Nuenen, Gerwen en Nederwetten", "Arnhem"]


def municipality_moves(rng, scenario):
    """Moves between the municipalities of the region: they sum to zero net."""
    shift = {"lift-cap": (-25, 10, 15)}.get(scenario, (12, -4, -8))
    moves = []
    for k in range(len(MUNICIPALITIES)):
        out = 20 + rng.uniform(0, 6)
        moves.append([out + shift[k] + rng.gauss(0, 3), out])
    total_in = sum(m[0] for m in moves)
    total_out = sum(m[1] for m in moves)
    moves[-1][0] += total_out - total_in  # net zero over the region
    return moves


def compare_dir():
    path = os.path.join(HERE, "compare")
    os.makedirs(path, exist_ok=True)
    scenarios = ["baseline", "registration-duty", "same-as-baseline", "lift-cap"]
    years = range(2020, 2025)
    replications = range(8)
    rows = []
    for scenario in scenarios:
        for r in replications:
            for yi, year in enumerate(years):
                seed = 1000 * r + yi  # common random numbers: the same stream in every scenario
                base = region_values(random.Random(seed), yi)
                v = scenario_values(scenario, base, random.Random(seed + 7))
                moves = municipality_moves(random.Random(seed + 11), scenario)
                v["moved_in"] = sum(m[0] for m in moves)
                v["moved_out"] = sum(m[1] for m in moves)
                for k, name in enumerate(MUNICIPALITIES):
                    mv = {c: v[c] / 3 for c in COLUMNS if c not in SHARES}
                    mv.update({c: v[c] for c in SHARES})
                    mv["window_rent"] = v["window_rent"]
                    mv["moved_in"], mv["moved_out"] = moves[k]
                    if name == "Arnhem":
                        mv["window_rent"] = None  # no window places: not defined
                    rows.append([scenario, r, year, name] + [fmt(c, mv[c]) for c in COLUMNS])
                rows.append([scenario, r, year, "ALL"] + [fmt(c, v[c]) for c in COLUMNS])
    write_csv(os.path.join(path, "annual.csv"), HEADER, rows)
    manifest = {
        "program": "permitsim",
        "version": "0.1.0",
        "command_line": ["permitsim", "compare", "municipalities/netherlands.xml", "--scenario",
                         "registration-duty.xml", "--scenario", "same-as-baseline.xml", "--scenario",
                         "lift-cap.xml", "--replications", "8", "--seed", "20240501"],
        "seed": 20240501,
        "replications": 8,
        "years": {"from": 2020, "to": 2024},
        "region": "Test region",
        "scenarios": [
            {"name": "registration-duty", "title": "Registration duty <with> \"intake\" & fines",
             "description": "Built to do harm: <script>alert('x')</script> sexual violence rises.",
             "file": "registration-duty.xml"},
            {"name": "same-as-baseline", "title": "Same as the baseline", "file": "same-as-baseline.xml"},
            {"name": "lift-cap", "title": "Lift the maximum policy", "file": "lift-cap.xml"},
        ],
        "inputs": [
            {"role": "region", "name": "Test region", "file": "municipalities/netherlands.xml",
             "sha256": "3b2f5c6d7e8f90112233445566778899aabbccddeeff00112233445566778899"},
            {"role": "parameters", "file": "municipalities/parameters.xml",
             "sha256": "0a1b2c3d4e5f60718293a4b5c6d7e8f9012345678901234567890abcdef01234"},
        ],
        "parameters": [
            {"name": "capacity.workers-per-window", "value": 2, "unit": "workers per window", "min": 1,
             "max": 3, "source": "assumption"},
            {"name": "violence.base-rate", "value": 0.015, "unit": "per week", "min": 0.005, "max": 0.03,
             "source": "Sekswerk en geweld in Nederland (2018) <calibrated>"},
        ],
    }
    with open(os.path.join(path, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2, ensure_ascii=False)
        f.write("\n")


def summary_dir():
    """Region only (no municipalities), with a summary.csv whose bands differ
    from what annual.csv gives, so a test can tell which one was used."""
    path = os.path.join(HERE, "with-summary")
    os.makedirs(path, exist_ok=True)
    rows = []
    for scenario in ("baseline", "lift-cap"):
        for r in range(3):
            for yi, year in enumerate((2030, 2031)):
                seed = 1000 * r + yi
                v = scenario_values(scenario, region_values(random.Random(seed), yi), random.Random(seed + 7))
                v["moved_in"] = v["moved_out"] = 0
                rows.append([scenario, r, year, "ALL"] + [fmt(c, v[c]) for c in COLUMNS])
    header = HEADER + ["note"]  # an extra column: ignored
    write_csv(os.path.join(path, "annual.csv"), header, [row + ["x"] for row in rows])
    srows = [
        # scenario, year, municipality, metric, mean, median, p05, p95, comparison, extra
        ["baseline", 2031, "ALL", "sexual_12m", "0.5", "0.5", "0.4", "0.6", "", "y"],
        ["baseline", 2031, "ALL", "sexual_12m_difference", "0", "0", "0", "0", "", "y"],
        ["lift-cap", 2031, "ALL", "sexual_12m", "0.3", "0.3", "0.25", "0.35", "baseline", "y"],
        ["lift-cap", 2031, "ALL", "sexual_12m", "0.45", "0.45", "0.41", "0.49", "", "y"],
        ["lift-cap", 2031, "ALL", "waiting", "", "", "", "", "", "y"],
    ]
    write_csv(os.path.join(path, "summary.csv"),
              ["scenario", "year", "municipality", "metric", "mean", "median", "p05", "p95", "comparison",
               "extra"], srows)
    with open(os.path.join(path, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump({"program": "permitsim", "version": "0.1.0", "seed": 7, "replications": 3,
                   "command_line": ["permitsim", "run", "x.xml"], "scenarios": [], "inputs": [],
                   "parameters": []}, f, indent=2)
        f.write("\n")


def bad_dirs():
    """Broken results, one problem each, for the error-message tests."""
    good = ["baseline", "0", "2020", "ALL"] + ["1"] * len(COLUMNS)
    manifest = '{\n  "version": "0.1.0",\n  "seed": 1,\n  "replications": 1\n}\n'

    def make(name, annual=None, manifest_text=manifest, summary=None):
        path = os.path.join(HERE, name)
        os.makedirs(path, exist_ok=True)
        if annual is not None:
            with open(os.path.join(path, "annual.csv"), "w", encoding="utf-8", newline="") as f:
                f.write(annual)
        if manifest_text is not None:
            with open(os.path.join(path, "manifest.json"), "w", encoding="utf-8") as f:
                f.write(manifest_text)
        if summary is not None:
            with open(os.path.join(path, "summary.csv"), "w", encoding="utf-8") as f:
                f.write(summary)

    def line(fields):
        return ",".join(fields) + "\n"

    head = line(HEADER)
    row2 = list(good)
    row2[1] = "1"
    bad_number = list(good)
    bad_number[1] = "2"
    bad_number[4 + COLUMNS.index("workers")] = "abc"
    make("bad-number", head + line(good) + line(row2) + line(bad_number))
    bad_share = list(good)
    bad_share[4 + COLUMNS.index("sexual_12m")] = "1.5"
    make("bad-share", head + line(good) + line(bad_share))
    make("bad-quote", head + line(good) + '"baseline,1,2020,ALL\n')
    make("missing-column", line([h for h in HEADER if h != "waiting"]) + line(good[:-1]))
    make("short-row", head + line(good) + line(good[:10]))
    make("duplicate-row", head + line(good) + line(row2) + line(good))
    make("no-manifest", head + line(good), manifest_text=None)
    make("bad-manifest", head + line(good), manifest_text='{\n  "version": "0.1.0",\n  "seed": [1,,2]\n}\n')
    make("missing-annual")
    make("bad-summary", head + line(good),
         summary="scenario,year,municipality,metric,mean,median,p05,p95\n"
                 "baseline,2020,ALL,workers,1,1,1,1\n"
                 "baseline,2020,ALL,illegal,1,1,2,1\n")


if __name__ == "__main__":
    compare_dir()
    summary_dir()
    bad_dirs()
