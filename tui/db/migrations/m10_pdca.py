"""Migration 10: PDCA plans: cycles, frozen target members, adjustments and spot-checks.

Frozen: written once and never edited; a database made by an older release replays
exactly the steps it missed.
"""

ABOUT = 'PDCA plans: cycles, frozen target members, adjustments and spot-checks'

STEPS = (
        """CREATE TABLE plan (
            id INTEGER PRIMARY KEY,
            name VARCHAR(255) NOT NULL,
            segment TEXT NOT NULL,
            responsible VARCHAR(255) NOT NULL CHECK (responsible IN ('owner', 'split')),
            split_guides TEXT NOT NULL DEFAULT '',
            target_completion_pct INTEGER NOT NULL
                CHECK (target_completion_pct BETWEEN 0 AND 100),
            target_success_pct INTEGER NOT NULL CHECK (target_success_pct BETWEEN 0 AND 100),
            target_sales_cents INTEGER NOT NULL CHECK (target_sales_cents >= 0),
            methods TEXT NOT NULL DEFAULT '[]',
            created_by_id INTEGER REFERENCES staff (id),
            created_at DATETIME NOT NULL)""",
        "CREATE UNIQUE INDEX plan_name ON plan (name)",
        """CREATE TABLE plan_cycle (
            id INTEGER PRIMARY KEY,
            plan_id INTEGER NOT NULL REFERENCES plan (id),
            number INTEGER NOT NULL,
            first_day DATE NOT NULL,
            last_day DATE NOT NULL,
            frozen_on DATE NOT NULL,
            target_completion_pct INTEGER NOT NULL
                CHECK (target_completion_pct BETWEEN 0 AND 100),
            target_success_pct INTEGER NOT NULL CHECK (target_success_pct BETWEEN 0 AND 100),
            target_sales_cents INTEGER NOT NULL CHECK (target_sales_cents >= 0),
            methods TEXT NOT NULL DEFAULT '[]',
            status VARCHAR(255) NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'closed')),
            started_at DATETIME NOT NULL,
            started_by_id INTEGER REFERENCES staff (id),
            closed_at DATETIME,
            closed_by_id INTEGER REFERENCES staff (id),
            final_as_of DATE,
            final TEXT,
            CHECK (last_day >= first_day))""",
        "CREATE UNIQUE INDEX plan_cycle_plan_number ON plan_cycle (plan_id, number)",
        "CREATE INDEX plan_cycle_status ON plan_cycle (status)",
        """CREATE TABLE plan_target (
            cycle_id INTEGER NOT NULL REFERENCES plan_cycle (id),
            member_id INTEGER NOT NULL REFERENCES member (id),
            guide_id INTEGER REFERENCES staff (id),
            frozen_guide_id INTEGER REFERENCES staff (id),
            PRIMARY KEY (cycle_id, member_id)) WITHOUT ROWID""",
        "CREATE INDEX plan_target_member ON plan_target (member_id, cycle_id)",
        """CREATE TABLE plan_adjustment (
            id INTEGER PRIMARY KEY,
            plan_id INTEGER NOT NULL REFERENCES plan (id),
            cycle_id INTEGER REFERENCES plan_cycle (id),
            kind VARCHAR(255) NOT NULL CHECK (kind IN ('target', 'method', 'people')),
            subject VARCHAR(255) NOT NULL,
            old TEXT NOT NULL DEFAULT '',
            new TEXT NOT NULL DEFAULT '',
            why TEXT NOT NULL CHECK (length(trim(why)) > 0),
            staff_id INTEGER REFERENCES staff (id),
            at DATETIME NOT NULL)""",
        "CREATE INDEX plan_adjustment_plan ON plan_adjustment (plan_id, at)",
        """CREATE TABLE plan_spot_check (
            id INTEGER PRIMARY KEY,
            cycle_id INTEGER NOT NULL REFERENCES plan_cycle (id),
            contact_id INTEGER NOT NULL REFERENCES contact (id),
            seed INTEGER NOT NULL,
            drawn_at DATETIME NOT NULL,
            drawn_by_id INTEGER REFERENCES staff (id),
            verified INTEGER,
            checked_by_id INTEGER REFERENCES staff (id),
            checked_at DATETIME,
            note TEXT NOT NULL DEFAULT '')""",
        "CREATE UNIQUE INDEX plan_spot_check_cycle_contact ON plan_spot_check (cycle_id, contact_id)",
)
