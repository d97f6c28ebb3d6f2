-- Demo data of the evaluation agency's workspace (issue 19), loaded once by
-- scripts/stack (recorded as 'demo-agency') after the demo accounts and
-- samples, so the workspace is not empty on first run: two reviewed units
-- of Beijing, Beijing's approved targets, one completed visit to Beijing with
-- a symposium (participants from Beijing's sample, attendance, minutes) and
-- one planned visit to Shanghai. The agency's pages write the same rows;
-- there is no command-line tool for them, so this file is plain SQL. (IGNORE:
-- on a stack where people already reviewed or imported, theirs stay.)
START TRANSACTION;

SET @agency = (SELECT id FROM users WHERE username = 'agency');
SET @bj_hub = (SELECT id FROM users WHERE username = 'bj-hub');
SET @bj_win1 = (SELECT id FROM users WHERE username = 'bj-win1');
SET @bj_region = (SELECT id FROM users WHERE username = 'bj-region');

INSERT IGNORE INTO unit_reviews (unit_id, version, checklist, findings, rating1, rating2, rating3, rating4, reviewer_id)
VALUES
  (@bj_hub, 1, 'q3_report,approval,funds',
   '三季度建设情况和工作小结齐全；枢纽平台已建成并运营，互联互通说明待补。', 'B', 'A', 'B', 'B', @agency),
  (@bj_win1, 1, 'q3_report',
   '仅提交三季度工作小结，缺项目批复文件和资金到位情况。', 'C', 'B', 'B', '', @agency),
  (@bj_win1, 2, 'q3_report,approval',
   '补交了项目批复文件；资金到位情况仍缺。', 'C', 'B', 'B', 'C', @agency);

INSERT IGNORE INTO region_targets (region_code, code, approved, reported, imported_by) VALUES
  ('110000', 'windows', 12, NULL, @agency),
  ('110000', 'orgs', 150, NULL, @agency),
  ('110000', 'invest', 3000, 2450, @agency),
  ('110000', 'fund_central', 1000, 1000, @agency),
  ('110000', 'fund_local', 1000, 800, @agency),
  ('110000', 'fund_self', 1000, 650, @agency);

INSERT INTO visits (region_code, starts_on, ends_on, state, contact, phone, prepare, findings, confirmed_at,
                    confirmed_by, created_by)
VALUES ('110000', '2013-11-20', '2013-11-22', 'done', '王联系', '010-68881234',
        '请准备项目文档资料供查阅：项目批复文件和实施方案、2013年三季度建设情况和工作小结、投资完成和资金到位情况、互联互通情况说明；介绍项目建设和实际运营情况。',
        '枢纽平台与窗口平台已互联互通；窗口平台资金到位滞后，地方配套资金尚差 200 万元。', '2013-11-15 10:00:00',
        @bj_region, @agency);
SET @visit = LAST_INSERT_ID();
INSERT INTO visit_team (visit_id, user_id) VALUES (@visit, @agency);
INSERT INTO visit_objects (visit_id, unit_id, day) VALUES
  (@visit, NULL, '2013-11-20'), (@visit, @bj_hub, '2013-11-21'), (@visit, @bj_win1, '2013-11-22');

INSERT INTO symposiums (visit_id, host_id, day, place, minutes, created_by)
VALUES (@visit, @bj_hub, '2013-11-21', '北京市中小企业公共服务平台会议室',
        '到会单位认为平台的融资和培训服务找得到、用得起；希望增加法律咨询服务，缩短线上服务的响应时间。', @agency);
SET @sym = LAST_INSERT_ID();
INSERT INTO symposium_participants (symposium_id, sample_unit_id, stratum, name, contact, phone, attended)
SELECT @sym, su.id, su.stratum, su.name, su.contact, su.phone, su.position % 3 <> 0
FROM sample_units su
WHERE su.region_code = '110000' AND su.status = 'active' AND su.role = 'selected' AND su.position <= 4
ORDER BY su.stratum, su.position;

INSERT INTO visits (region_code, starts_on, ends_on, state, prepare, findings, created_by)
VALUES ('310000', '2013-12-09', '2013-12-11', 'planned',
        '请准备项目文档资料供查阅：项目批复文件和实施方案、2013年三季度建设情况和工作小结、投资完成和资金到位情况、互联互通情况说明；介绍项目建设和实际运营情况。',
        '', @agency);
INSERT INTO visit_team (visit_id, user_id) VALUES (LAST_INSERT_ID(), @agency);

INSERT INTO schema_migrations (version) VALUES ('demo-agency');
COMMIT;
