import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per integration, the validators (ETag) and bodies of the provider GETs it repeats: the next sync
 * sends If-None-Match, and a 304 costs no rate-limit budget and publishes nothing.
 */
export class HttpCache1764500000000 implements MigrationInterface {
  name = 'HttpCache1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "http_cache" ("integration_id" uuid NOT NULL, "key" text NOT NULL, "etag" text NOT NULL,
        "body" jsonb NOT NULL, "updated_at" timestamptz NOT NULL,
        CONSTRAINT "http_cache_pkey" PRIMARY KEY ("integration_id", "key"),
        CONSTRAINT "http_cache_integration_fk" FOREIGN KEY ("integration_id") REFERENCES "integrations" ("id") ON DELETE CASCADE)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "http_cache"`);
  }
}
