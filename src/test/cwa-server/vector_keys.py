#!/usr/bin/env python3
"""The fixed key set of the cwa-server conformance vector (record-vector.sh).

Writes keys.csv (the vector's key set, read back by CwaServerVectorTest) and keys.sql (inserts into cwa-server's
diagnosis_key table) for a run in hour RUN_HOUR (hours since the epoch). The keys are drawn from a seeded generator,
so the same run hour gives the same keys; their submission hours lie before the run hour in groups that exercise what
decides an archive's content: every transmission risk level (1 and 2 below cwa-server's minimum of 3), the shifting
threshold (140) reached, missed and carried over, the expiry policy (keys still valid at submission), keys of
visitors (DE,FR) and keys from the federation gateway (origin FR, no policies), daily and hourly archives.
"""
import random
import sys

run_hour = int(sys.argv[1])
out_dir = sys.argv[2]
rng = random.Random(20201215)

# (hours before the run, number of keys, origin, visited countries, key valid until the submission day's end)
GROUPS = [
    (70, 210, "DE", ["DE"], False),        # released in its hour (about 158 of level >= 3)
    (66, 90, "DE", ["DE"], False),         # below the threshold: shifted ...
    (63, 80, "DE", ["DE", "FR"], False),   # ... and released here with the shifted ones
    (60, 40, "FR", ["FR", "DE"], False),   # federation keys: no policies, their own hour, in DE, FR and EUR
    (50, 200, "DE", ["DE"], True),         # still valid when submitted: the expiry policy moves them
    (45, 190, "DE", ["DE", "FR"], False),
    (30, 25, "FR", ["FR"], False),
    (26, 205, "DE", ["DE"], False),
    (9, 60, "DE", ["DE"], False),          # below the threshold until the run: held back
]

REPORT_TYPES = ["CONFIRMED_TEST", "CONFIRMED_CLINICAL_DIAGNOSIS", "SELF_REPORT", "RECURSIVE"]

rows = []
for hours_before, count, origin, visited, still_valid in GROUPS:
    submission_hour = run_hour - hours_before
    submission_day_start = (submission_hour // 24) * 24
    for _ in range(count):
        key_data = rng.randbytes(16)
        if still_valid:
            # today's key: valid until the submission day's end
            start_interval = submission_day_start * 6
        else:
            start_interval = (submission_day_start - 24 * rng.randint(1, 12)) * 6
        rolling_period = 144 if rng.random() < 0.9 else rng.randint(1, 143)
        trl = rng.randint(1, 8)
        report_type = rng.choice(REPORT_TYPES)
        dsos = rng.randint(-14, 21)
        rows.append((key_data.hex(), start_interval, rolling_period, trl, report_type, dsos, origin,
                     "+".join(visited), submission_hour))

with open(f"{out_dir}/keys.csv", "w") as csv:
    csv.write("key_data_hex,rolling_start_interval_number,rolling_period,transmission_risk_level,report_type,"
              "days_since_onset_of_symptoms,origin_country,visited_countries,submission_timestamp_hours\n")
    for row in rows:
        csv.write(",".join(str(v) for v in row) + "\n")

with open(f"{out_dir}/keys.sql", "w") as sql:
    sql.write("BEGIN;\nDELETE FROM diagnosis_key;\n")
    for (key_hex, start, period, trl, rt, dsos, origin, visited, hour) in rows:
        countries = ",".join(f'"{c}"' for c in visited.split("+"))
        sql.write("INSERT INTO diagnosis_key (key_data, rolling_period, rolling_start_interval_number, "
                  "submission_timestamp, transmission_risk_level, consent_to_federation, origin_country, "
                  "visited_countries, report_type, days_since_onset_of_symptoms, submission_type) VALUES "
                  f"('\\x{key_hex}', {period}, {start}, {hour}, {trl}, false, '{origin}', '{{{countries}}}', "
                  f"'{rt}', {dsos}, 'SUBMISSION_TYPE_PCR_TEST');\n")
    sql.write("COMMIT;\n")
print(f"{len(rows)} keys for run hour {run_hour}")
