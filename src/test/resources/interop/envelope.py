"""Decrypts an ENVELOPE_AES_GCM object (docs/VERIFY.md) with an implementation independent of Bytekeep: Python's
cryptography package (OpenSSL underneath; Debian: python3-cryptography).

  envelope.py KEK_B64 WRAPPED_KEY_B64 OBJECT OUT   -> OUT = the plain bytes; exit 2 when anything does not verify
"""
import base64
import struct
import sys

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.keywrap import InvalidUnwrap, aes_key_unwrap


def decrypt(kek, wrapped, data):
    key = AESGCM(aes_key_unwrap(kek, wrapped))
    header = data[:16]
    if len(header) < 16 or header[:5] != b"BKEG\x01":
        raise ValueError("no BKEG version 1 header")
    size = struct.unpack(">I", header[5:9])[0]
    body, out, i = data[16:], bytearray(), 0
    while True:
        piece, body = body[:size + 16], body[size + 16:]
        last = not body
        nonce = header[9:16] + struct.pack(">I", i) + (b"\x01" if last else b"\x00")
        out += key.decrypt(nonce, piece, header)
        i += 1
        if last:
            return bytes(out)


if __name__ == "__main__":
    kek_b64, wrapped_b64, source, target = sys.argv[1:]
    try:
        plain = decrypt(base64.b64decode(kek_b64), base64.b64decode(wrapped_b64), open(source, "rb").read())
    except (InvalidTag, InvalidUnwrap, ValueError) as e:
        print("refused:", type(e).__name__, e, file=sys.stderr)
        sys.exit(2)
    open(target, "wb").write(plain)
