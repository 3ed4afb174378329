-- Emulator-only (not upstream): the images upstream uploads to its S3 bucket (a base64 profile image or logo sent
-- to the API), kept here and served at upstream's local storage URL, /stack-storage/{folder}/{uuid}.{format}.
CREATE TABLE "_hexclave_storage_object" (
  "key" TEXT NOT NULL,
  "contentType" TEXT NOT NULL,
  "body" BYTEA NOT NULL,
  "createdAt" TIMESTAMP(3) NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
  CONSTRAINT "_hexclave_storage_object_pkey" PRIMARY KEY ("key")
);
