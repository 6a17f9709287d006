"""Returns what a boefje returns: (mime types, output) pairs, one of them bytes; fails when asked to."""


def run(boefje_meta: dict) -> list[tuple[set, bytes | str]]:
    if boefje_meta["arguments"].get("fail"):
        raise RuntimeError("the compat boefje was asked to fail")

    hostname = boefje_meta["arguments"]["input"]["name"]
    return [
        ({"openkat/compat-echo"}, f'{{"hostname": "{hostname}"}}'),
        ({"text/plain"}, b"\x00binary \xff output of " + hostname.encode()),
    ]
