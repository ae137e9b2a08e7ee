-- The engine's rule breaches (R01–R12), procedural findings (P01–P04), money and the six
-- indicators of ../../../shared/spec/policy.md, written as plain DuckDB SQL over the kept rows that
-- peer.py loaded (tables institutions, classes, enrollments, attendance, assessments, employment,
-- claims, claim_lines, surveys, case_decisions, sanctions, appeals, wages).
--
-- Placeholders (a dollar sign and a name in braces) are filled by peer.py from the quarter and
-- pipelines/*.toml.
-- Sections start with `-- @phase NAME`; each statement ends with `;` at the end of a line.
-- Person ids are the normalised raw ids (no HMAC: equality is all the rules need).

-- @phase rules

-- Attended seconds per enrollment (R06): sign-ins whose check-in date lies within the class's
-- dates, (check_out − check_in) in whole seconds clipped to 0 … max_session, missing check_out 0.
CREATE OR REPLACE TEMP TABLE attended AS
SELECT a.enrollment_id,
       sum(CASE WHEN a.check_out IS NULL THEN 0
                ELSE least(greatest((epoch_us(a.check_out) - epoch_us(a.check_in)) // 1000000, 0), ${max_session_seconds})
           END) AS seconds
FROM attendance a
JOIN enrollments e ON e.enrollment_id = a.enrollment_id
JOIN classes k ON k.class_id = e.class_id
WHERE CAST(a.check_in AS DATE) BETWEEN k.start_date AND k.end_date
GROUP BY a.enrollment_id;

-- The claim-line fact table: every kept line of any quarter with its claim, enrollment, class,
-- the class's institution's licence, the claimant's minimum wage and attended seconds.
CREATE OR REPLACE TEMP TABLE facts AS
SELECT l.claim_id, l.enrollment_id, l.claim_id || '/' || l.enrollment_id AS line_id,
       l.amount_fen AS line_fen, l.days,
       c.institution_id, c.class_id AS claim_class_id, c.claim_type, c.submitted_on,
       c.status, c.payment_mode, c.amount_fen AS claim_fen, c.paid_amount_fen AS paid_fen,
       w.wage_fen,
       e.enrollment_id IS NOT NULL AS found,
       e.class_id AS e_class_id, e.person_id, e.person_id_form, e."group", e.enrolled_on,
       e.completed, e.birth_date, e.male,
       k.institution_id AS k_institution_id, k.occupation_code, k.level, k.start_date,
       k.end_date, k.planned_hours, k.subsidy_per_head_fen, coalesce(k.key_industry, false) AS key_industry,
       i.licensed_on AS k_licensed_on,
       coalesce(a.seconds, 0) AS seconds,
       c.submitted_on BETWEEN DATE '${q_first}' AND DATE '${q_last}' AS in_scope,
       c.status <> 'rejected' AS counts
FROM claim_lines l
JOIN claims c ON c.claim_id = l.claim_id
LEFT JOIN (SELECT i.institution_id, w.wage_fen FROM institutions i JOIN wages w ON w.district = i.district) w
       ON w.institution_id = c.institution_id
LEFT JOIN enrollments e ON e.enrollment_id = l.enrollment_id
LEFT JOIN classes k ON k.class_id = e.class_id
LEFT JOIN institutions i ON i.institution_id = k.institution_id
LEFT JOIN attended a ON a.enrollment_id = l.enrollment_id;

-- R01 (an earlier training line of the person in the same occupation and level; rejected claims
-- never count as earlier), then R02 (earlier countable training lines of the person in the
-- calendar year; R01 lines neither count nor get R02): window functions in line order over the
-- training lines' keys only.
CREATE OR REPLACE TEMP TABLE training_windows AS
WITH r01 AS (
    SELECT line_id, person_id, submitted_on, claim_id, enrollment_id, counts,
           coalesce(sum(counts::INT) OVER (PARTITION BY person_id, occupation_code, level
                                           ORDER BY submitted_on, claim_id, enrollment_id
                                           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS r01_earlier,
           person_id IS NOT NULL AND occupation_code IS NOT NULL AND level IS NOT NULL AS identified
    FROM facts WHERE claim_type = 'training'
), flagged AS (
    SELECT *, identified AND r01_earlier > 0 AS r01 FROM r01
)
SELECT line_id, r01_earlier, r01,
       coalesce(sum((counts AND NOT r01)::INT) OVER (PARTITION BY person_id, year(submitted_on)
                                                     ORDER BY submitted_on, claim_id, enrollment_id
                                                     ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS r02_earlier
FROM flagged;

-- R08: days of the enrollment's earlier allowance lines (a missing days counts max_days).
CREATE OR REPLACE TEMP TABLE allowance_windows AS
SELECT line_id,
       coalesce(sum(CASE WHEN counts THEN coalesce(days, ${max_days}) ELSE 0 END)
                OVER (PARTITION BY enrollment_id ORDER BY submitted_on, claim_id, enrollment_id
                      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS r08_earlier_days
FROM facts WHERE claim_type = 'living_allowance';

-- R09: each qualifying pass supports one appraisal line. SQL version: the n-th counting
-- appraisal line of a (person, occupation, level) in line order is matched with the n-th pass in
-- (exam_date, assessment_id) order; a line of a rejected claim is matched with the pass the
-- next counting line would get. The engine's sequential allocation skips a counting line that
-- finds no pass yet (exam after the claim) without using a pass; here such a line still
-- advances the index. Exact whenever no counting line is refused for an exam dated after it.
CREATE OR REPLACE TEMP TABLE passes AS
SELECT person_id, occupation_code, level, exam_date, assessment_id, fee_fen,
       row_number() OVER (PARTITION BY person_id, occupation_code, level ORDER BY exam_date, assessment_id) AS n,
       count(*) OVER (PARTITION BY person_id, occupation_code, level) AS on_record
FROM assessments
WHERE passed AND certificate_no IS NOT NULL;

CREATE OR REPLACE TEMP TABLE r09 AS
WITH lines AS (
    SELECT line_id, person_id, occupation_code, level, submitted_on, line_fen, key_industry, in_scope,
           coalesce(sum(counts::INT) OVER (PARTITION BY person_id, occupation_code, level
                                           ORDER BY submitted_on, claim_id, enrollment_id
                                           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) + 1 AS n
    FROM facts
    WHERE claim_type = 'appraisal' AND person_id IS NOT NULL AND occupation_code IS NOT NULL AND level IS NOT NULL
)
SELECT l.line_id,
       CASE WHEN p.n IS NULL OR p.exam_date > l.submitted_on THEN l.line_fen
            ELSE greatest(l.line_fen - (p.fee_fen * (CASE WHEN l.key_industry THEN ${key_industry_percent_of_fee} ELSE ${percent_of_fee} END) * 2 + 100) // 200, 0)
       END AS part,
       CASE WHEN p.n IS NULL OR p.exam_date > l.submitted_on THEN 'no qualifying pass in ' || l.occupation_code || ' level ' || l.level
            ELSE 'amount above ' || (CASE WHEN l.key_industry THEN ${key_industry_percent_of_fee} ELSE ${percent_of_fee} END) || '% of the fee of pass ' || p.assessment_id
       END AS evidence
FROM lines l
LEFT JOIN passes p ON p.person_id = l.person_id AND p.occupation_code = l.occupation_code AND p.level = l.level AND p.n = l.n
WHERE l.in_scope
  AND (p.n IS NULL OR p.exam_date > l.submitted_on
       OR l.line_fen > (p.fee_fen * (CASE WHEN l.key_industry THEN ${key_industry_percent_of_fee} ELSE ${percent_of_fee} END) * 2 + 100) // 200);

-- R10: claims in Q of an institution under a sanction covering Q, or whose latest fraud_confirmed
-- / cleared decision on or before the claim is fraud_confirmed.
CREATE OR REPLACE TEMP TABLE r10 AS
WITH scoped AS (
    SELECT claim_id, institution_id, submitted_on FROM claims
    WHERE submitted_on BETWEEN DATE '${q_first}' AND DATE '${q_last}'
), sanctioned AS (
    SELECT DISTINCT s.claim_id, 'under a ' || x.kind || ' sanction from ' || x.from_quarter AS evidence
    FROM scoped s JOIN sanctions x ON x.institution_id = s.institution_id
    WHERE x.from_quarter <= '${quarter}' AND (x.until_quarter IS NULL OR x.until_quarter >= '${quarter}')
), decided AS (
    SELECT s.claim_id, arg_max(d.finding, d.decided_on) AS finding, max(d.decided_on) AS decided_on
    FROM scoped s JOIN case_decisions d ON d.institution_id = s.institution_id
    WHERE d.decided_on <= s.submitted_on AND d.finding IN ('fraud_confirmed', 'cleared')
    GROUP BY s.claim_id
)
SELECT claim_id, min(evidence) AS evidence FROM (
    SELECT claim_id, evidence FROM sanctioned
    UNION ALL
    SELECT claim_id, 'on or after the fraud_confirmed decision of ' || decided_on FROM decided WHERE finding = 'fraud_confirmed'
) GROUP BY claim_id;

-- Every rule on every line in scope: breach flag and part (fen).
CREATE OR REPLACE TEMP TABLE judged AS
WITH base AS (
    SELECT f.*, coalesce(r01, false) AS r01, r01_earlier, r02_earlier, r08_earlier_days,
           year(enrolled_on) - year(birth_date)
             - CASE WHEN month(enrolled_on) * 100 + day(enrolled_on) < month(birth_date) * 100 + day(birth_date) THEN 1 ELSE 0 END AS age,
           least(coalesce(days, ${max_days}), ${max_days} - r08_earlier_days, (end_date - start_date) + 1) AS r08_smallest,
           "group" IN (${eligible_groups}) AS eligible
    FROM facts f
    LEFT JOIN training_windows USING (line_id)
    LEFT JOIN allowance_windows USING (line_id)
    WHERE in_scope
), caps AS (
    SELECT b.*,
           (wage_fen * greatest(r08_smallest, 0) * ${percent_of_minimum_wage} * 2 + 100 * ${days_per_month})
             // (2 * 100 * ${days_per_month}) AS r08_cap,
           -- no --previous run: no uplift, the cap is the standard itself
           (subsidy_per_head_fen * (10000 + 0) * 2 + 10000) // 20000 AS r11_cap
    FROM base b
)
SELECT c.line_id, c.claim_id, c.enrollment_id, c.institution_id, c.claim_type, c.status,
       c.line_fen, c.claim_fen, c.paid_fen,
       r01,
       coalesce(claim_type = 'training' AND person_id IS NOT NULL AND NOT r01 AND r02_earlier >= ${max_lines_per_year}, false) AS r02,
       coalesce(found AND person_id_form NOT IN ('raw_valid', 'hashed'), false) AS r03,
       coalesce(person_id_form = 'raw_valid'
                AND (age < CASE WHEN male THEN ${male_min} ELSE ${female_min} END
                     OR age > CASE WHEN male THEN ${male_max} ELSE ${female_max} END), false) AS r04,
       coalesce(claim_type = 'training' AND NOT completed, false) AS r05,
       coalesce(claim_type = 'training' AND found AND seconds * 100 < ${attendance_percent} * planned_hours * 3600, false) AS r06,
       (NOT found) OR coalesce(claim_class_id IS NOT NULL AND e_class_id <> claim_class_id, false)
                   OR coalesce(k_institution_id <> institution_id, false) AS r07,
       CASE WHEN NOT eligible THEN line_fen ELSE greatest(line_fen - r08_cap, 0) END AS r08_part_raw,
       coalesce(claim_type = 'living_allowance' AND found
                AND (CASE WHEN NOT eligible THEN line_fen ELSE greatest(line_fen - r08_cap, 0) END) > 0, false) AS r08,
       r09.line_id IS NOT NULL AS r09, coalesce(r09.part, 0) AS r09_part,
       r10.claim_id IS NOT NULL AS r10,
       coalesce(claim_type = 'training' AND found AND line_fen > r11_cap, false) AS r11,
       line_fen - r11_cap AS r11_part_raw,
       coalesce(found AND start_date < k_licensed_on, false) AS r12,
       -- short evidence, built for breach rows only (as an analyst would)
       r09.evidence AS r09_evidence, r10.evidence AS r10_evidence,
       r01_earlier, r02_earlier, age, seconds, planned_hours, r08_cap, r11_cap, person_id_form
FROM caps c
LEFT JOIN r09 ON r09.line_id = c.line_id
LEFT JOIN r10 ON r10.claim_id = c.claim_id;

-- Overturned findings: appeals decided by Q's end.
CREATE OR REPLACE TEMP TABLE overturned AS
SELECT DISTINCT upper(rule) AS rule, entity_id FROM appeals
WHERE outcome = 'overturned' AND decided_on <= DATE '${q_last}';

-- One row per (rule, line in scope) breach, with the rule's own part and evidence.
CREATE OR REPLACE TEMP TABLE line_flags AS
WITH flags AS (
    SELECT 'R01' AS rule, j.*, line_fen AS part, 'person already has ' || r01_earlier || ' earlier training line(s) in this occupation and level' AS evidence FROM judged j WHERE r01
    UNION ALL SELECT 'R02', j.*, line_fen, 'already ' || r02_earlier || ' training lines this year (cap ${max_lines_per_year})' FROM judged j WHERE r02
    UNION ALL SELECT 'R03', j.*, line_fen, 'person id form ' || person_id_form FROM judged j WHERE r03
    UNION ALL SELECT 'R04', j.*, line_fen, 'age ' || age || ' on enrolled_on' FROM judged j WHERE r04
    UNION ALL SELECT 'R05', j.*, line_fen, 'enrollment ' || enrollment_id || ' did not complete its class' FROM judged j WHERE r05
    UNION ALL SELECT 'R06', j.*, line_fen, 'attended ' || seconds || ' s of ' || planned_hours || ' h planned' FROM judged j WHERE r06
    UNION ALL SELECT 'R07', j.*, line_fen, 'enrollment missing or of another class or institution' FROM judged j WHERE r07
    UNION ALL SELECT 'R08', j.*, r08_part_raw, 'amount above the allowance cap ' || r08_cap FROM judged j WHERE r08
    UNION ALL SELECT 'R09', j.*, r09_part, r09_evidence FROM judged j WHERE r09
    UNION ALL SELECT 'R10', j.*, line_fen, r10_evidence FROM judged j WHERE r10
    UNION ALL SELECT 'R11', j.*, r11_part_raw, 'line above the class standard ' || r11_cap FROM judged j WHERE r11
    UNION ALL SELECT 'R12', j.*, line_fen, 'class started before the licence' FROM judged j WHERE r12
)
SELECT f.rule, f.institution_id, f.line_id, f.claim_id, f.enrollment_id, f.status, f.line_fen,
       f.claim_fen, f.paid_fen, f.part, f.evidence, o.rule IS NOT NULL AS overturned
FROM flags f
LEFT JOIN overturned o ON o.rule = f.rule AND o.entity_id = f.line_id;

-- Per line in scope: the largest non-overturned part (at most the line) and the rules.
CREATE OR REPLACE TEMP TABLE lines_in_scope AS
SELECT j.line_id, j.claim_id, j.enrollment_id, j.institution_id, j.status, j.line_fen, j.claim_fen, j.paid_fen,
       CASE WHEN e.line_id IS NULL THEN 0 ELSE least(e.part, j.line_fen) END AS part_fen,  -- least() skips NULLs
       coalesce(e.rules, '') AS rules,
       e.line_id IS NOT NULL AS breach
FROM judged j
LEFT JOIN (
    SELECT line_id, max(part) AS part, string_agg(rule, ',' ORDER BY rule) AS rules
    FROM line_flags WHERE NOT overturned GROUP BY line_id
) e ON e.line_id = j.line_id;

-- Money: paid claims' parts at the paid share (half-up) to recoveries, pending ones to holds;
-- fraud_confirmed decisions dated in Q add their stated amount, or every paid line of the
-- institution's claims of Q−3 … Q at its paid share (merged with that line's breach row).
CREATE OR REPLACE TEMP TABLE money_lines AS
SELECT claim_id, enrollment_id, institution_id, rules, status,
       CASE WHEN status = 'paid' THEN
                CASE WHEN claim_fen <= 0 THEN 0
                     WHEN paid_fen IS NOT NULL AND paid_fen < claim_fen
                         THEN (part_fen * greatest(paid_fen, 0) * 2 + claim_fen) // (2 * claim_fen)
                     ELSE part_fen END
            ELSE part_fen END AS amount_fen
FROM lines_in_scope
WHERE part_fen > 0 AND status IN ('paid', 'pending');

CREATE OR REPLACE TEMP TABLE fraud_decisions AS
SELECT institution_id, decided_on, amount_defrauded_fen FROM case_decisions
WHERE finding = 'fraud_confirmed' AND decided_on BETWEEN DATE '${q_first}' AND DATE '${q_last}';

CREATE OR REPLACE TEMP TABLE recoveries AS
WITH breach_rows AS (
    SELECT claim_id, enrollment_id, institution_id, rules, amount_fen FROM money_lines
    WHERE status = 'paid' AND amount_fen > 0
), decision_lines AS (
    SELECT DISTINCT f.claim_id, f.enrollment_id, f.institution_id,
           CASE WHEN f.claim_fen <= 0 THEN 0
                WHEN f.paid_fen IS NOT NULL AND f.paid_fen < f.claim_fen
                    THEN (f.line_fen * greatest(f.paid_fen, 0) * 2 + f.claim_fen) // (2 * f.claim_fen)
                ELSE f.line_fen END AS amount_fen
    FROM facts f JOIN fraud_decisions d ON d.institution_id = f.institution_id AND d.amount_defrauded_fen IS NULL
    WHERE f.status = 'paid' AND f.submitted_on BETWEEN DATE '${window_start}' AND DATE '${q_last}'
)
SELECT coalesce(b.claim_id, d.claim_id) AS claim_id, coalesce(b.enrollment_id, d.enrollment_id) AS enrollment_id,
       coalesce(b.institution_id, d.institution_id) AS institution_id,
       CASE WHEN b.rules IS NULL THEN 'DECISION' WHEN d.claim_id IS NULL THEN b.rules ELSE b.rules || ',DECISION' END AS rules,
       greatest(coalesce(b.amount_fen, 0), coalesce(d.amount_fen, 0)) AS amount_fen
FROM breach_rows b
FULL JOIN (SELECT * FROM decision_lines WHERE amount_fen > 0) d
       ON d.claim_id = b.claim_id AND d.enrollment_id = b.enrollment_id AND d.institution_id = b.institution_id
UNION ALL
SELECT NULL, NULL, institution_id, 'DECISION', amount_defrauded_fen FROM fraud_decisions WHERE amount_defrauded_fen IS NOT NULL;

CREATE OR REPLACE TEMP TABLE holds AS
SELECT claim_id, enrollment_id, institution_id, rules, amount_fen FROM money_lines WHERE status = 'pending';

-- Procedural findings P01–P04 (entity per finding; P03 charged to both institutions).
CREATE OR REPLACE TEMP TABLE procedural AS
SELECT 'P01' AS rule, c.institution_id, c.claim_id AS entity_id
FROM claims c JOIN classes k ON k.class_id = c.class_id
WHERE c.submitted_on BETWEEN DATE '${q_first}' AND DATE '${q_last}'
  AND c.claim_type = 'training' AND c.payment_mode = 'reimburse' AND c.submitted_on < k.end_date
UNION ALL
SELECT 'P02', k.institution_id, k.class_id
FROM classes k JOIN (SELECT class_id, count(*) AS n FROM enrollments GROUP BY class_id) e ON e.class_id = k.class_id
WHERE k.start_date BETWEEN DATE '${q_first}' AND DATE '${q_last}' AND e.n > k.capacity
UNION ALL
SELECT 'P04', c.institution_id, c.claim_id
FROM claims c LEFT JOIN (SELECT claim_id, sum(amount_fen) AS fen, count(*) AS n FROM claim_lines GROUP BY claim_id) l
       ON l.claim_id = c.claim_id
WHERE c.submitted_on BETWEEN DATE '${q_first}' AND DATE '${q_last}'
  AND (c.amount_fen <> coalesce(l.fen, 0) OR c.headcount <> coalesce(l.n, 0));

-- P03: one person with check-ins less than ${double_presence_seconds} s apart at classes of two
-- institutions, the later check-in in Q; one finding per enrollment pair, charged to both.
-- Only persons enrolled at two or more institutions can qualify; check-ins closer than the
-- window fall into the same or adjacent window-sized buckets, so the self-join is an equi-join
-- on (person, bucket) and never pairs a person's whole history.
CREATE OR REPLACE TEMP TABLE p03_check_ins AS
WITH placed AS (
    SELECT e.enrollment_id, e.person_id, k.institution_id
    FROM enrollments e JOIN classes k ON k.class_id = e.class_id
), movers AS (
    SELECT person_id FROM placed GROUP BY person_id HAVING count(DISTINCT institution_id) > 1
)
SELECT p.person_id, p.enrollment_id, p.institution_id, epoch_us(a.check_in) AS t,
       epoch_us(a.check_in) // (${double_presence_seconds} * 1000000::BIGINT) AS bucket
FROM attendance a
JOIN placed p ON p.enrollment_id = a.enrollment_id
WHERE p.person_id IN (SELECT person_id FROM movers);

CREATE OR REPLACE TEMP TABLE p03_pairs AS
WITH earlier AS (
    SELECT *, bucket AS join_bucket FROM p03_check_ins
    UNION ALL
    SELECT *, bucket + 1 FROM p03_check_ins
)
SELECT least(l.enrollment_id, e.enrollment_id) AS first_enrollment,
       greatest(l.enrollment_id, e.enrollment_id) AS second_enrollment,
       any_value(CASE WHEN l.enrollment_id < e.enrollment_id THEN l.institution_id ELSE e.institution_id END) AS first_institution,
       any_value(CASE WHEN l.enrollment_id < e.enrollment_id THEN e.institution_id ELSE l.institution_id END) AS second_institution
FROM p03_check_ins l
JOIN earlier e ON e.person_id = l.person_id AND e.join_bucket = l.bucket
WHERE e.institution_id <> l.institution_id
  AND e.t <= l.t AND l.t - e.t < ${double_presence_seconds} * 1000000::BIGINT
  AND l.t BETWEEN epoch_us(TIMESTAMP '${q_first} 00:00:00') AND epoch_us(TIMESTAMP '${q_last} 23:59:59.999999')
GROUP BY ALL;

INSERT INTO procedural
SELECT 'P03', first_institution, first_enrollment || '+' || second_enrollment FROM p03_pairs
UNION ALL
SELECT 'P03', second_institution, first_enrollment || '+' || second_enrollment FROM p03_pairs;

-- @phase indicators

-- Enrollments with their class (the cohorts of completion, pass, employment and retention).
CREATE OR REPLACE TEMP TABLE cohort AS
SELECT e.enrollment_id, e.person_id, e.completed, k.institution_id, k.occupation_code, k.level,
       k.category, k.start_date, k.end_date,
       year(k.end_date) * 12 + month(k.end_date) AS end_month
FROM enrollments e JOIN classes k ON k.class_id = e.class_id;

CREATE OR REPLACE TEMP TABLE work_months AS
SELECT DISTINCT person_id, year(month) * 12 + month(month) AS m
FROM employment
WHERE contribution_fen IS NULL OR contribution_fen > 0;

CREATE OR REPLACE TEMP TABLE indicator_ratios AS
WITH completion AS (
    SELECT institution_id, sum(completed::INT) AS num, count(*) AS den
    FROM cohort WHERE end_date BETWEEN DATE '${completion_from}' AND DATE '${completion_to}'
    GROUP BY institution_id
), pass_cohort AS (
    SELECT * FROM cohort
    WHERE end_date BETWEEN DATE '${pass_from}' AND DATE '${pass_to}' AND completed AND level BETWEEN 1 AND 5
), passing AS (
    SELECT DISTINCT c.enrollment_id
    FROM pass_cohort c JOIN assessments a
      ON a.person_id = c.person_id AND a.occupation_code = c.occupation_code AND a.level = c.level
    WHERE a.passed AND a.exam_date BETWEEN c.start_date AND c.end_date + ${days_after_end}
), pass AS (
    SELECT c.institution_id, count(p.enrollment_id) AS num, count(*) AS den
    FROM pass_cohort c LEFT JOIN passing p ON p.enrollment_id = c.enrollment_id
    GROUP BY c.institution_id
), employment_cohort AS (
    SELECT * FROM cohort
    WHERE end_date BETWEEN DATE '${employment_from}' AND DATE '${employment_to}' AND completed
      AND category IN ('employment', 'reemployment', 'reserve')
), employed AS (
    SELECT c.institution_id, c.enrollment_id,
           count(w.m) AS months
    FROM employment_cohort c LEFT JOIN work_months w
      ON w.person_id = c.person_id AND w.m > c.end_month AND w.m <= c.end_month + ${employment_months}
    GROUP BY c.institution_id, c.enrollment_id
), employment_rate AS (
    SELECT institution_id, sum((months > 0)::INT) AS num, count(*) AS den FROM employed GROUP BY institution_id
), retention_cohort AS (
    SELECT * FROM cohort
    WHERE end_date BETWEEN DATE '${retention_from}' AND DATE '${retention_to}' AND completed
      AND category IN ('employment', 'reemployment', 'reserve')
), retained AS (
    SELECT c.institution_id, c.enrollment_id,
           count(w.m) FILTER (WHERE w.m <= c.end_month + ${employment_months}) AS first_months,
           count(w.m) AS months
    FROM retention_cohort c LEFT JOIN work_months w
      ON w.person_id = c.person_id AND w.m > c.end_month AND w.m <= c.end_month + ${retention_months}
    GROUP BY c.institution_id, c.enrollment_id
), retention AS (
    SELECT institution_id, sum((months >= ${retention_min_months})::INT) AS num, count(*) AS den
    FROM retained WHERE first_months > 0 GROUP BY institution_id
), satisfaction AS (
    SELECT c.institution_id, sum(s.score - 1) AS num, 4 * count(*) AS den
    FROM surveys s JOIN cohort c ON c.enrollment_id = s.enrollment_id
    WHERE c.end_date BETWEEN DATE '${satisfaction_from}' AND DATE '${satisfaction_to}'
    GROUP BY c.institution_id
), compliance AS (
    SELECT institution_id, sum((NOT breach)::INT) AS num, count(*) AS den FROM lines_in_scope GROUP BY institution_id
)
SELECT 'completion_rate' AS indicator, * FROM completion
UNION ALL SELECT 'pass_rate', * FROM pass
UNION ALL SELECT 'employment_rate', * FROM employment_rate
UNION ALL SELECT 'retention_rate', * FROM retention
UNION ALL SELECT 'satisfaction', * FROM satisfaction
UNION ALL SELECT 'compliance', * FROM compliance;

CREATE OR REPLACE TEMP TABLE indicators AS
SELECT i.institution_id,
       max(CASE WHEN r.indicator = 'completion_rate' AND r.den > 0 THEN r.num / r.den END) AS completion_rate,
       max(CASE WHEN r.indicator = 'pass_rate' AND r.den > 0 THEN r.num / r.den END) AS pass_rate,
       max(CASE WHEN r.indicator = 'employment_rate' AND r.den > 0 THEN r.num / r.den END) AS employment_rate,
       max(CASE WHEN r.indicator = 'retention_rate' AND r.den > 0 THEN r.num / r.den END) AS retention_rate,
       max(CASE WHEN r.indicator = 'satisfaction' AND r.den > 0 THEN r.num / r.den END) AS satisfaction,
       max(CASE WHEN r.indicator = 'compliance' AND r.den > 0 THEN r.num / r.den END) AS compliance
FROM institutions i LEFT JOIN indicator_ratios r ON r.institution_id = i.institution_id
GROUP BY i.institution_id;
