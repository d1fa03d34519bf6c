-- A referral's Tasks: its workflow Task, and the referrer's Task to obtain consent when the person's consent is what
-- keeps the referral's clinical content from the receiver (at most one of each other kind per referral).
alter table referral_task add column kind text not null default 'workflow';
create unique index referral_task_kind on referral_task (referral_id, kind) where kind <> 'workflow';
