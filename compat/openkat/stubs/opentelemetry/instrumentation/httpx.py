from opentelemetry._bytekeep_stub import Unavailable


class HTTPXClientInstrumentor(Unavailable):
    pass
