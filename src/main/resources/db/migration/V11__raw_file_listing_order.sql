-- Listings of raw files (GET /bytes/raw) are ordered newest first and limited. Without an index in that order every
-- listing sorted all raw files of the boefje meta (or organisation): the 10-minute soak (bench/soak.sh, one boefje
-- meta, 25 uploads/s) slowed down as the table grew until requests piled up and the heap ran out.
create index raw_file_boefje_meta_newest on raw_file (boefje_meta_id, created_at desc, id);
create index raw_file_org_newest on raw_file (organization, created_at desc, id);
