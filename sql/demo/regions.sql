-- Demo regions for the private stack (scripts/stack start loads this once,
-- then imports accounts.csv). Codes are GB/T 2260 province codes.
INSERT INTO regions (code, name, help_phone) VALUES
  ('110000', '北京市', '010-12345678'),
  ('310000', '上海市', '021-12345678'),
  ('440000', '广东省', '020-12345678')
ON DUPLICATE KEY UPDATE name = VALUES(name), help_phone = VALUES(help_phone);
