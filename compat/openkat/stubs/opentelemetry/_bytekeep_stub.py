class Unavailable:
    """Stands for an OpenTelemetry class Bytes imports but these runs never use (see stubs/README.md)."""

    def __init__(self, *args, **kwargs):
        raise RuntimeError(f"{type(self).__name__} is an import-only stand-in (compat/openkat/stubs)")

    @classmethod
    def instrument_app(cls, *args, **kwargs):
        raise RuntimeError(f"{cls.__name__} is an import-only stand-in (compat/openkat/stubs)")
