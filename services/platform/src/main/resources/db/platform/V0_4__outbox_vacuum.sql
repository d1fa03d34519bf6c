-- The relay marks each row sent (an update) and the pruner removes it a week later (tellonce.outbox.keep-sent), so
-- every event leaves a dead row version behind, and with it a dead entry at the head of outbox_unsent, which every
-- relay poll walks past. PostgreSQL's default waits until a fifth of the table is dead: on a week's outbox of 2.9
-- million rows that was 560,000 dead rows, 1,390 index pages and 4.3 ms for a poll that found nothing to send, growing
-- with the table. Vacuum after 10,000 dead rows whatever the table's size.
alter table outbox set (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 10000);
