-- The schema Bytes' own migrations leave in PostgreSQL: `alembic upgrade head` of bytes/bytes/database/migrations at
-- minvws/nl-kat-coordination cae5e263e (head revision 1dde0213e9fe) on an empty database, then
-- `pg_dump --schema-only --no-owner --no-privileges` (PostgreSQL 15), without pg_dump's session settings, plus the row
-- alembic writes into alembic_version. To regenerate: run those migrations with python3-alembic and
-- python3-sqlalchemy (an env.py that only sets the URL is enough: the migrations import nothing of Bytes) and dump.
CREATE TABLE public.alembic_version (
    version_num character varying(32) NOT NULL
);

CREATE TABLE public.boefje_meta (
    id uuid NOT NULL,
    boefje_id character varying(64) NOT NULL,
    boefje_version character varying(16),
    organization character varying(32) NOT NULL,
    arguments json NOT NULL,
    started_at timestamp with time zone,
    ended_at timestamp with time zone,
    input_ooi character varying(1024),
    environment json,
    runnable_hash character varying(64)
);

CREATE TABLE public.normalizer_meta (
    id uuid NOT NULL,
    normalizer_id character varying(64) NOT NULL,
    normalizer_version character varying(16),
    started_at timestamp with time zone,
    ended_at timestamp with time zone,
    raw_file_id uuid NOT NULL
);

CREATE TABLE public.raw_file (
    id uuid NOT NULL,
    secure_hash character varying(256),
    hash_retrieval_link character varying(2048),
    boefje_meta_id uuid NOT NULL,
    mime_types character varying(64)[],
    signing_provider_id integer
);

CREATE TABLE public.signing_provider (
    id integer NOT NULL,
    url character varying(256) NOT NULL
);

CREATE SEQUENCE public.signing_provider_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.signing_provider_id_seq OWNED BY public.signing_provider.id;

ALTER TABLE ONLY public.signing_provider ALTER COLUMN id SET DEFAULT nextval('public.signing_provider_id_seq'::regclass);

ALTER TABLE ONLY public.alembic_version
    ADD CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num);

ALTER TABLE ONLY public.boefje_meta
    ADD CONSTRAINT boefje_meta_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.normalizer_meta
    ADD CONSTRAINT normalizer_meta_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.raw_file
    ADD CONSTRAINT raw_file_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.signing_provider
    ADD CONSTRAINT signing_provider_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.signing_provider
    ADD CONSTRAINT signing_provider_url_key UNIQUE (url);

CREATE INDEX ix_boefje_meta_organization_boefje_id ON public.boefje_meta USING btree (organization, boefje_id);

CREATE INDEX ix_normalizer_meta_raw_file_id ON public.normalizer_meta USING btree (raw_file_id);

CREATE INDEX ix_raw_file_boefje_meta_id ON public.raw_file USING btree (boefje_meta_id);

CREATE INDEX ix_raw_file_signing_provider_id ON public.raw_file USING btree (signing_provider_id);

ALTER TABLE ONLY public.normalizer_meta
    ADD CONSTRAINT normalizer_meta_raw_file_id_fkey FOREIGN KEY (raw_file_id) REFERENCES public.raw_file(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.raw_file
    ADD CONSTRAINT raw_file_boefje_meta_id_fkey FOREIGN KEY (boefje_meta_id) REFERENCES public.boefje_meta(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.raw_file
    ADD CONSTRAINT raw_file_signing_provider_id_fkey FOREIGN KEY (signing_provider_id) REFERENCES public.signing_provider(id) ON DELETE CASCADE;


INSERT INTO public.alembic_version (version_num) VALUES ('1dde0213e9fe');
