from opentelemetry._bytekeep_stub import Unavailable


class Psycopg2Instrumentor(Unavailable):
    pass
