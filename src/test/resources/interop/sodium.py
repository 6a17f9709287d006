"""libsodium's own crypto_box, for the interop tests (python3 standard library + libsodium23 through ctypes).

  sodium.py keypair                         -> "<public key b64> <secret key b64>"
  sodium.py seal PK_B64 IN OUT              -> OUT = crypto_box_seal(IN, PK)
  sodium.py open PK_B64 SK_B64 IN OUT       -> OUT = crypto_box_seal_open(IN); exit 2 when it fails
  sodium.py box PK_B64 SK_B64 IN OUT        -> OUT = nonce || crypto_box_easy(IN, nonce, PK, SK), nonce random (24 bytes)
  sodium.py box-open PK_B64 SK_B64 IN OUT   -> OUT = crypto_box_open_easy(IN[24:], IN[:24], PK, SK); exit 2 when it fails
  sodium.py hsalsa20 KEY_HEX IN_HEX         -> crypto_core_hsalsa20(IN, KEY, sigma) in hex
"""
import base64
import ctypes
import ctypes.util
import sys


def load():
    for name in ("libsodium.so.23", ctypes.util.find_library("sodium")):
        if name:
            try:
                return ctypes.CDLL(name)
            except OSError:
                pass
    sys.exit("libsodium is not installed (Debian: apt-get install libsodium23)")


sodium = load()
if sodium.sodium_init() < 0:
    sys.exit("sodium_init failed")
SEALBYTES = sodium.crypto_box_sealbytes()
NONCEBYTES = sodium.crypto_box_noncebytes()
MACBYTES = sodium.crypto_box_macbytes()
KEYBYTES = 32


def main(command, *args):
    if command == "keypair":
        pk, sk = ctypes.create_string_buffer(KEYBYTES), ctypes.create_string_buffer(KEYBYTES)
        if sodium.crypto_box_keypair(pk, sk) != 0:
            sys.exit("crypto_box_keypair failed")
        print(base64.b64encode(pk.raw).decode(), base64.b64encode(sk.raw).decode())
    elif command == "seal":
        pk = base64.b64decode(args[0])
        message = open(args[1], "rb").read()
        sealed = ctypes.create_string_buffer(len(message) + SEALBYTES)
        if sodium.crypto_box_seal(sealed, message, ctypes.c_ulonglong(len(message)), pk) != 0:
            sys.exit("crypto_box_seal failed")
        open(args[2], "wb").write(sealed.raw)
    elif command == "open":
        pk, sk = base64.b64decode(args[0]), base64.b64decode(args[1])
        sealed = open(args[2], "rb").read()
        if len(sealed) < SEALBYTES:
            sys.exit(2)
        message = ctypes.create_string_buffer(max(1, len(sealed) - SEALBYTES))
        if sodium.crypto_box_seal_open(message, sealed, ctypes.c_ulonglong(len(sealed)), pk, sk) != 0:
            sys.exit(2)
        open(args[3], "wb").write(message.raw[:len(sealed) - SEALBYTES])
    elif command == "box":
        pk, sk = base64.b64decode(args[0]), base64.b64decode(args[1])
        message = open(args[2], "rb").read()
        nonce = ctypes.create_string_buffer(NONCEBYTES)
        sodium.randombytes_buf(nonce, ctypes.c_size_t(NONCEBYTES))
        box = ctypes.create_string_buffer(len(message) + MACBYTES)
        if sodium.crypto_box_easy(box, message, ctypes.c_ulonglong(len(message)), nonce, pk, sk) != 0:
            sys.exit("crypto_box_easy failed")
        open(args[3], "wb").write(nonce.raw + box.raw)
    elif command == "box-open":
        pk, sk = base64.b64decode(args[0]), base64.b64decode(args[1])
        stored = open(args[2], "rb").read()
        if len(stored) < NONCEBYTES + MACBYTES:
            sys.exit(2)
        nonce, box = stored[:NONCEBYTES], stored[NONCEBYTES:]
        message = ctypes.create_string_buffer(max(1, len(box) - MACBYTES))
        if sodium.crypto_box_open_easy(message, box, ctypes.c_ulonglong(len(box)), nonce, pk, sk) != 0:
            sys.exit(2)
        open(args[3], "wb").write(message.raw[:len(box) - MACBYTES])
    elif command == "hsalsa20":
        out = ctypes.create_string_buffer(32)
        key, block = bytes.fromhex(args[0]), bytes.fromhex(args[1])
        if sodium.crypto_core_hsalsa20(out, block, key, None) != 0:
            sys.exit("crypto_core_hsalsa20 failed")
        print(out.raw.hex())
    else:
        sys.exit("unknown command " + command)


if __name__ == "__main__":
    main(*sys.argv[1:])
