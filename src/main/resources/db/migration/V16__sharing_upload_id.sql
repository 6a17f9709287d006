-- The sharing sweep looks up a page of S3 multipart upload ids (1,000) at a time: by index, not a scan of every
-- document per page.
create index sharing_document_upload_id on sharing_document (upload_id);
