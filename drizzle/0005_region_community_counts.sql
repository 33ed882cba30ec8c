-- Urban communities and villages under each province, city, county and township (see db/schema.ts);
-- `digits` is the length of the region's significant code (2, 4, 6 or 9).
CREATE MATERIALIZED VIEW "region_community_counts" AS
SELECT l.n AS digits,
  rpad(left(r.code, l.n), 12, '0')::varchar(12) AS code,
  (count(*) FILTER (WHERE r.kind = 'community'))::int AS urban,
  (count(*) FILTER (WHERE r.kind = 'village'))::int AS villages
FROM regions r
CROSS JOIN (VALUES (2), (4), (6), (9)) AS l(n)
WHERE r.level = 'community'
GROUP BY 1, 2;--> statement-breakpoint
CREATE UNIQUE INDEX "region_community_counts_digits_code_idx" ON "region_community_counts" ("digits", "code" text_pattern_ops);
