-- NACL_SEALBOX is Bytes' format from now on (NaCl Box of BYTES_PRIVATE_KEY_B64 and BYTES_PUBLIC_KEY_B64: nonce || box).
-- Earlier Bytekeep versions wrote libsodium's crypto_box_seal under that name; those rows are recognised by their key id
-- (x25519:<fingerprint>, where the new format records box:<fingerprint>:<fingerprint>) and keep being read as what they are.
-- Portable SQL: runs on PostgreSQL and on H2 in PostgreSQL mode.
update raw_file set encryption = 'LIBSODIUM_SEALED_BOX' where encryption = 'NACL_SEALBOX' and key_id like 'x25519:%';
