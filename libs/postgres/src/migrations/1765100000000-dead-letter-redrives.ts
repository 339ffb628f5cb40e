import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The redrive ledger: one row per dead letter ever redriven, claimed before its copy is published, so
 * redriving the same dead letter again publishes nothing.
 */
export class DeadLetterRedrives1765100000000 implements MigrationInterface {
  name = 'DeadLetterRedrives1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "dead_letter_redrives" ("dlq_topic" text NOT NULL, "dlq_partition" integer NOT NULL,
        "dlq_offset" bigint NOT NULL, "source_topic" text NOT NULL, "source_partition" integer NOT NULL,
        "source_offset" bigint NOT NULL, "status" text NOT NULL, "claim_id" uuid NOT NULL,
        "attempts" integer NOT NULL DEFAULT 1, "requested_by" text, "claimed_at" timestamptz NOT NULL,
        "published_at" timestamptz,
        CONSTRAINT "dead_letter_redrives_pkey" PRIMARY KEY ("dlq_topic", "dlq_partition", "dlq_offset"),
        CONSTRAINT "dead_letter_redrives_status" CHECK ("status" IN ('claimed', 'published')))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "dead_letter_redrives"`);
  }
}
