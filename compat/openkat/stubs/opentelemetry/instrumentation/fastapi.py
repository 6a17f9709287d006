from opentelemetry._bytekeep_stub import Unavailable


class FastAPIInstrumentor(Unavailable):
    pass
