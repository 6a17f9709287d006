--
-- PostgreSQL database dump
--


-- Dumped from database version 15.20 (Debian 15.20-0+deb12u1)
-- Dumped by pg_dump version 15.20 (Debian 15.20-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: alembic_version; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.alembic_version (
    version_num character varying(32) NOT NULL
);


--
-- Name: boefje_meta; Type: TABLE; Schema: public; Owner: -
--

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


--
-- Name: normalizer_meta; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.normalizer_meta (
    id uuid NOT NULL,
    normalizer_id character varying(64) NOT NULL,
    normalizer_version character varying(16),
    started_at timestamp with time zone,
    ended_at timestamp with time zone,
    raw_file_id uuid NOT NULL
);


--
-- Name: raw_file; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.raw_file (
    id uuid NOT NULL,
    secure_hash character varying(256),
    hash_retrieval_link character varying(2048),
    boefje_meta_id uuid NOT NULL,
    mime_types character varying(64)[],
    signing_provider_id integer
);


--
-- Name: signing_provider; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.signing_provider (
    id integer NOT NULL,
    url character varying(256) NOT NULL
);


--
-- Name: signing_provider_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.signing_provider_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: signing_provider_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.signing_provider_id_seq OWNED BY public.signing_provider.id;


--
-- Name: signing_provider id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.signing_provider ALTER COLUMN id SET DEFAULT nextval('public.signing_provider_id_seq'::regclass);


--
-- Data for Name: alembic_version; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.alembic_version VALUES ('1dde0213e9fe');


--
-- Data for Name: boefje_meta; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.boefje_meta VALUES ('1dc6216b-485c-46de-af50-2aa4b070c84a', 'dns-records', '1.2.0', 'org-a', '{"domain": "example.org", "nested": {"list": [1, 2.5, true, null], "text": "\u0133sbeer \u2603"}}', '2025-11-14 10:00:00.123456+00', '2025-11-14 10:00:03.654321+00', 'Hostname|internet|example.org', '{"TIMEOUT": "30"}', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');
INSERT INTO public.boefje_meta VALUES ('a5a636e1-2b6e-484d-ac88-9f06ed4bff41', 'nmap', NULL, 'org-a', '{}', '2025-11-14 11:00:00+00', '2025-11-14 11:05:00+00', NULL, 'null', NULL);
INSERT INTO public.boefje_meta VALUES ('29412e24-389f-4fb2-9800-1ecefb41698b', 'ssl-certificates', '3', 'org-b', '{"port": 443}', '2025-11-15 08:30:00.5+00', '2025-11-15 08:30:01.000001+00', 'Website|internet|192.0.2.1|tcp|443|https|internet|example.org', '{}', NULL);
INSERT INTO public.boefje_meta VALUES ('524916ef-2a43-4817-9e75-2a287c05d9fc', 'webpage-capture', '0.1', 'org-b', '{"url": "https://example.org/"}', '2031-01-02 03:04:05+00', '2031-01-02 03:04:05.000001+00', 'URL|internet|x', 'null', NULL);
INSERT INTO public.boefje_meta VALUES ('a89ff5d5-f4e1-41e1-b645-39ab19dc392f', 'dns-records', '1.2.0', 'org-a', '{"domain": "a.b"}', '2025-11-16 00:00:00+00', '2025-11-16 00:00:01+00', 'Hostname|internet|a.b', 'null', NULL);


--
-- Data for Name: normalizer_meta; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.normalizer_meta VALUES ('c9086f3d-54fc-44f4-832b-5b63266b3395', 'kat_dns_normalize', '1', '2025-11-14 10:01:00+00', '2025-11-14 10:01:02+00', '360083fc-bd3e-410d-9e26-1a620e4676f2');
INSERT INTO public.normalizer_meta VALUES ('4336eb3f-3dd8-457f-a4af-25502b8e8ddf', 'kat_dns_normalize', '1', '2025-11-14 10:01:00+00', '2025-11-14 10:01:03+00', '4e3ac032-8b9f-40d6-863d-2fc6abc009b8');
INSERT INTO public.normalizer_meta VALUES ('226b1ef5-bd8b-484b-9a10-f7eb39dc0425', 'kat_ssl_normalize', NULL, '2025-11-15 09:00:00.25+00', '2025-11-15 09:00:01+00', '00e00ab4-12cd-4e6e-a7bd-4308a515d2cf');
INSERT INTO public.normalizer_meta VALUES ('7c3f58ac-4fe6-4f0a-8464-85ffbf3951ca', 'kat_capture', '2', '2031-01-02 03:05:00+00', '2031-01-02 03:05:01+00', '1215ae21-ae85-4157-b701-f0e26dad7453');


--
-- Data for Name: raw_file; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.raw_file VALUES ('360083fc-bd3e-410d-9e26-1a620e4676f2', 'sha512:5f1cf8d7df9aff250f94c04a70648736fe2c25aeb830cf7cd068b24ab090d741215482c3236c940badffb4a63608f14fc74a741c845d9f885cef2c0fc47bf12e', '10b3c6bf-ce3b-4ed2-a30d-6a71d93c9214', '1dc6216b-485c-46de-af50-2aa4b070c84a', '{boefje/dns-records}', NULL);
INSERT INTO public.raw_file VALUES ('4e3ac032-8b9f-40d6-863d-2fc6abc009b8', 'sha512:ea306b521f40da5a25778d989879ee4bc52c094157682a377c30fa756351c581cac73ba23c2b1dabe19af28003a15967d343ec0e0a740eb2bbb0c16781e812fd', '56a08fde-58e5-4824-82c7-98149b14058b', '1dc6216b-485c-46de-af50-2aa4b070c84a', '{boefje/dns-records,text/plain}', NULL);
INSERT INTO public.raw_file VALUES ('87f22e77-3c8c-407c-92c5-75cf479a94d9', 'sha512:02f63fdf4238b692fad626398ddd66a9f3f2beeb1ae0642f5fe8a03f46b46b75c7a34e0d8eca3a51e1b482982c2b5c4881ea454498217d30608a3401fdcc921f', 'eb0d85e9-f922-4e3b-9365-0dac31f676e3', '1dc6216b-485c-46de-af50-2aa4b070c84a', '{}', NULL);
INSERT INTO public.raw_file VALUES ('765a539c-dc91-43af-9f3e-81693acd3c2d', 'sha512:98477669800455e5f2f2edabb46b69b188dd8e88a4d1c26e48516f9e4f4edf2a27d06818291a8968783d62456c421e8b91dcee8d6d8ef4ae10770c1d3975b42c', '25026169-4361-4907-a70c-aefc666e8a67', 'a5a636e1-2b6e-484d-ac88-9f06ed4bff41', '{error/boefje}', NULL);
INSERT INTO public.raw_file VALUES ('00e00ab4-12cd-4e6e-a7bd-4308a515d2cf', 'sha224:e698ef84ede54306a24c93dea1142861cb06db8d06d05bec217ed7fe', 'df1fb822-6374-4bff-a61d-4f02c5bb941a', '29412e24-389f-4fb2-9800-1ecefb41698b', '{boefje/ssl-certificates,application/json}', 1);
INSERT INTO public.raw_file VALUES ('07bbd5d4-7414-45d2-9f73-44e6b57eae61', 'sha224:ad62c92e195a3e03c345b4ae9e166b18b134ec118c1061eed3074aa1', '33a7415f-8038-4307-9a1a-68f82d11f41c', '29412e24-389f-4fb2-9800-1ecefb41698b', '{boefje/ssl-certificates}', 1);
INSERT INTO public.raw_file VALUES ('1215ae21-ae85-4157-b701-f0e26dad7453', 'sha512:8399268d906a38625eef2f28251d07c64eb84914b920492dc62b381e1ae14648306853955c5819b842ce97788be11b9680d1f5e8853c41ffc3fa013fe51e02a3', 'e7169a0e-b7e6-43e4-b333-e9f4eb29ab70', '524916ef-2a43-4817-9e75-2a287c05d9fc', '{boefje/webpage-capture,image/png}', 1);


--
-- Data for Name: signing_provider; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.signing_provider VALUES (1, 'https://tsa.example.org/tsr');


--
-- Name: signing_provider_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.signing_provider_id_seq', 1, true);


--
-- Name: alembic_version alembic_version_pkc; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.alembic_version
    ADD CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num);


--
-- Name: boefje_meta boefje_meta_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.boefje_meta
    ADD CONSTRAINT boefje_meta_pkey PRIMARY KEY (id);


--
-- Name: normalizer_meta normalizer_meta_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.normalizer_meta
    ADD CONSTRAINT normalizer_meta_pkey PRIMARY KEY (id);


--
-- Name: raw_file raw_file_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.raw_file
    ADD CONSTRAINT raw_file_pkey PRIMARY KEY (id);


--
-- Name: signing_provider signing_provider_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.signing_provider
    ADD CONSTRAINT signing_provider_pkey PRIMARY KEY (id);


--
-- Name: signing_provider signing_provider_url_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.signing_provider
    ADD CONSTRAINT signing_provider_url_key UNIQUE (url);


--
-- Name: ix_boefje_meta_organization_boefje_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_boefje_meta_organization_boefje_id ON public.boefje_meta USING btree (organization, boefje_id);


--
-- Name: ix_normalizer_meta_raw_file_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_normalizer_meta_raw_file_id ON public.normalizer_meta USING btree (raw_file_id);


--
-- Name: ix_raw_file_boefje_meta_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_raw_file_boefje_meta_id ON public.raw_file USING btree (boefje_meta_id);


--
-- Name: ix_raw_file_signing_provider_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_raw_file_signing_provider_id ON public.raw_file USING btree (signing_provider_id);


--
-- Name: normalizer_meta normalizer_meta_raw_file_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.normalizer_meta
    ADD CONSTRAINT normalizer_meta_raw_file_id_fkey FOREIGN KEY (raw_file_id) REFERENCES public.raw_file(id) ON DELETE CASCADE;


--
-- Name: raw_file raw_file_boefje_meta_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.raw_file
    ADD CONSTRAINT raw_file_boefje_meta_id_fkey FOREIGN KEY (boefje_meta_id) REFERENCES public.boefje_meta(id) ON DELETE CASCADE;


--
-- Name: raw_file raw_file_signing_provider_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.raw_file
    ADD CONSTRAINT raw_file_signing_provider_id_fkey FOREIGN KEY (signing_provider_id) REFERENCES public.signing_provider(id) ON DELETE CASCADE;


--
-- PostgreSQL database dump complete
--


