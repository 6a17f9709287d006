#!/usr/bin/env python3
"""The key set of bench/vs-cwa-distribution.sh, as CSV for each system's diagnosis_key table (COPY ... csv).

usage: distribution-keys.py <keys per hour> <days> <run hour (hours since the epoch)> <cwa-server csv> <bytekeep csv>

Keys for every hour of the <days> days before the run hour, like the demo data of both systems: 16 random bytes, a
daily key of one of the 13 days before the submission day (expired when submitted), TRL 1..8, origin DE, a third also
visited FR. Seeded: the same arguments give the same keys.
"""
import random
import sys

per_hour, days, run_hour = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(20201215)
with open(sys.argv[4], "w") as cwa, open(sys.argv[5], "w") as bytekeep:
    for hour in range(run_hour - 24 * days, run_hour):
        day = hour // 24
        for _ in range(per_hour):
            key = rng.randbytes(16).hex()
            start = (day - rng.randint(1, 13)) * 144
            trl = rng.randint(1, 8)
            dsos = rng.randint(0, 14)
            visitors = rng.random() < 1 / 3
            # cwa-server: key_data, rolling_period, rolling_start_interval_number, submission_timestamp,
            # transmission_risk_level, consent_to_federation, origin_country, visited_countries, report_type,
            # days_since_onset_of_symptoms, submission_type
            cwa.write(f"\\x{key},144,{start},{hour},{trl},f,DE,\"{{{'DE,FR' if visitors else 'DE'}}}\","
                      f"CONFIRMED_TEST,{dsos},SUBMISSION_TYPE_PCR_TEST\n")
            # Bytekeep: key_data, rolling_start_interval_number, rolling_period, transmission_risk_level, report_type,
            # days_since_onset_of_symptoms, origin_country, visited_countries, submission_timestamp,
            # consent_to_federation
            bytekeep.write(f"\\x{key},{start},144,{trl},CONFIRMED_TEST,{dsos},DE,\"{'DE,FR' if visitors else 'DE'}\","
                           f"{hour},f\n")
