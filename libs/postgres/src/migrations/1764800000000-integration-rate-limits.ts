import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The provider rate-limit window each integration's last run saw, shown in integration health. */
export class IntegrationRateLimits1764800000000 implements MigrationInterface {
  name = 'IntegrationRateLimits1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "integration_rate_limits" ("integration_id" uuid PRIMARY KEY, "limit" integer,
        "remaining" integer, "reset_at" timestamptz, "observed_at" timestamptz NOT NULL,
        CONSTRAINT "integration_rate_limits_integration_fk" FOREIGN KEY ("integration_id")
          REFERENCES "integrations" ("id") ON DELETE CASCADE)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "integration_rate_limits"`);
  }
}
