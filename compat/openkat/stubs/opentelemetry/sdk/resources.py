from opentelemetry._bytekeep_stub import Unavailable

SERVICE_NAME = "service.name"


class Resource(Unavailable):
    pass
