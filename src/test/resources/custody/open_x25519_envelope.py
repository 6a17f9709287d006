"""Opens a CMS AuthEnvelopedData (RFC 5083) for an X25519 recipient as RFC 8418 specifies, with pyca/cryptography
only: its own BER reader, X25519, the ANSI X9.63 KDF (SHA-256) over ECC-CMS-SharedInfo (RFC 5753), AES key unwrap
and AES-GCM. An implementation independent of Bytekeep's (BouncyCastle), for the interop test.

usage: open_x25519_envelope.py ENVELOPE.der RECIPIENT-PRIVATE-KEY.pem OUT"""
import hashlib
import sys

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.x963kdf import X963KDF
from cryptography.hazmat.primitives.keywrap import aes_key_unwrap

# dhSinglePass-stdDH-sha256kdf-scheme: RFC 5753's SECG identifier 1.3.132.1.11.1, or the X9.63 arcs that RFC 8418's
# ASN.1 module prints for the same name, 1.3.133.16.840.63.0.11.1
DH_SINGLE_PASS_STD_DH_SHA256KDF = (bytes.fromhex("2b8104010b01"), bytes.fromhex("2b81051086483f000b01"))
AES256_WRAP = bytes.fromhex("60864801650304012d")                          # 2.16.840.1.101.3.4.1.45
AES256_GCM = bytes.fromhex("60864801650304012e")                           # 2.16.840.1.101.3.4.1.46


class Node:
    def __init__(self, tag, raw, value=None, children=None):
        self.tag, self.raw, self.value, self.children = tag, raw, value, children or []

    def leaves(self):
        return [self.value] if self.value is not None else [b for c in self.children for b in c.leaves()]


def parse(data, pos=0):
    """One BER element at pos (definite or indefinite length) and the position after it."""
    start, tag = pos, data[pos]
    length = data[pos + 1]
    pos += 2
    if length == 0x80:
        children = []
        while data[pos:pos + 2] != b"\0\0":
            child, pos = parse(data, pos)
            children.append(child)
        return Node(tag, data[start:pos + 2], children=children), pos + 2
    if length & 0x80:
        size = length & 0x7F
        length = int.from_bytes(data[pos:pos + size], "big")
        pos += size
    end = pos + length
    if tag & 0x20:
        children, inner = [], pos
        while inner < end:
            child, inner = parse(data, inner)
            children.append(child)
        return Node(tag, data[start:end], children=children), end
    return Node(tag, data[start:end], value=data[pos:end]), end


def der(tag, content):
    length = len(content)
    encoded = bytes([length]) if length < 0x80 else bytes([0x80 | 2]) + length.to_bytes(2, "big")
    return bytes([tag]) + encoded + content


def main(envelope_file, key_file, out_file):
    key = serialization.load_pem_private_key(open(key_file, "rb").read(), password=None)
    own_public = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    root, _ = parse(open(envelope_file, "rb").read())
    auth_enveloped = root.children[1].children[0]
    recipient_infos = next(c for c in auth_enveloped.children if c.tag == 0x31)
    content_info = next(c for c in auth_enveloped.children if c.tag == 0x30)
    mac = [c for c in auth_enveloped.children if c.tag == 0x04][-1].value

    kari = next(c for c in recipient_infos.children if c.tag == 0xA1)
    originator = kari.children[1].children[0]                  # [0] originator -> [1] originatorKey
    originator_key = originator.children[1].value[1:]          # BIT STRING without its unused-bits byte
    ukm = next((c.children[0].value for c in kari.children[2:] if c.tag == 0xA1), None)
    key_encryption = next(c for c in kari.children[2:] if c.tag == 0x30)
    assert key_encryption.children[0].value in DH_SINGLE_PASS_STD_DH_SHA256KDF, "not dhSinglePass-stdDH-sha256kdf"
    wrap = key_encryption.children[1]
    assert wrap.children[0].value == AES256_WRAP, "not id-aes256-wrap"
    my_key_id = hashlib.sha1(own_public).digest()
    encrypted_key = next(rek.children[1].value for rek in kari.children[-1].children
                         if rek.children[0].children[0].value == my_key_id)

    z = key.exchange(X25519PublicKey.from_public_bytes(originator_key))
    shared_info = der(0x30, wrap.raw + (der(0xA0, der(0x04, ukm)) if ukm else b"")
                      + der(0xA2, der(0x04, (256).to_bytes(4, "big"))))
    kek = X963KDF(algorithm=hashes.SHA256(), length=32, sharedinfo=shared_info).derive(z)
    content_key = aes_key_unwrap(kek, encrypted_key)

    algorithm = content_info.children[1]
    assert algorithm.children[0].value == AES256_GCM, "not AES-256-GCM"
    nonce = algorithm.children[1].children[0].value
    ciphertext = b"".join(content_info.children[2].leaves())
    plain = AESGCM(content_key).decrypt(nonce, ciphertext + mac, None)  # raises InvalidTag: nothing is written
    with open(out_file, "wb") as out:
        out.write(plain)


if __name__ == "__main__":
    main(*sys.argv[1:4])
