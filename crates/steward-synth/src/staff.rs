//! The HR roster: support agents, engineers and the departed engineer who kept
//! the member-token signing key.

use serde::Serialize;

use crate::locale::lists;
use crate::rng::{Domain, Rng};

/// The employee id of the departed authentication engineer.
pub const DEPARTED_ENGINEER: &str = "E0113";

/// One employee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Employee {
    /// Employee id (`E0042`), the principal in access logs.
    pub employee_id: String,
    /// Name.
    pub name: String,
    /// Role.
    pub role: &'static str,
    /// Team.
    pub team: &'static str,
    /// First day `YYYY-MM-DD`.
    pub start_date: String,
    /// Last day, for people who left.
    pub end_date: Option<String>,
}

/// The roster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Roster {
    /// Employees; a log's staff principal is an index into this list.
    pub employees: Vec<Employee>,
}

impl Roster {
    /// The roster of a platform with `customers` members.
    #[must_use]
    pub fn build(seed: u64, customers: u64) -> Self {
        let mut rng = Rng::stream(seed, Domain::Staff, 0);
        let l = lists();
        let agents = (customers / 20_000).clamp(12, 600) as usize;
        let engineers = 24usize;
        let mut employees = Vec::with_capacity(agents + engineers + 8);
        let mut next = 1u32;
        let mut add =
            |rng: &mut Rng, role: &'static str, team: &'static str, end: Option<String>| {
                let surname = l.kr_surnames.draw(rng).copied().unwrap_or("김");
                let given: String = (0..2)
                    .filter_map(|_| rng.pick(&l.kr_given).copied())
                    .collect();
                let id = if next == 113 { 114 } else { next };
                next = id + 1;
                employees.push(Employee {
                    employee_id: format!("E{id:04}"),
                    name: format!("{surname}{given}"),
                    role,
                    team,
                    start_date: format!(
                        "{}-{:02}-{:02}",
                        rng.range(2015, 2024),
                        rng.range(1, 12),
                        rng.range(1, 28)
                    ),
                    end_date: end,
                });
            };
        add(&mut rng, "engineering_lead", "platform-auth", None);
        add(&mut rng, "security_officer", "security", None);
        add(&mut rng, "privacy_officer", "legal", None);
        for i in 0..engineers {
            let end = (i % 7 == 6)
                .then(|| format!("2024-{:02}-{:02}", rng.range(1, 11), rng.range(1, 28)));
            let team = if i % 3 == 0 {
                "platform-auth"
            } else {
                "commerce"
            };
            add(&mut rng, "backend_engineer", team, end);
        }
        for i in 0..agents {
            let end = (i % 15 == 14)
                .then(|| format!("2025-0{}-{:02}", rng.range(1, 3), rng.range(1, 28)));
            add(&mut rng, "support_agent", "customer-service", end);
        }
        employees.push(Employee {
            employee_id: DEPARTED_ENGINEER.to_owned(),
            name: "박준혁".to_owned(),
            role: "backend_engineer",
            team: "platform-auth",
            start_date: "2022-11-07".to_owned(),
            end_date: Some("2024-12-20".to_owned()),
        });
        Self { employees }
    }

    /// Roster indexes of support agents still employed.
    #[must_use]
    pub fn support_agents(&self) -> Vec<u32> {
        self.employees
            .iter()
            .enumerate()
            .filter(|(_, e)| e.role == "support_agent" && e.end_date.is_none())
            .map(|(i, _)| i as u32)
            .collect()
    }

    /// Employee ids in roster order.
    #[must_use]
    pub fn ids(&self) -> Vec<String> {
        self.employees
            .iter()
            .map(|e| e.employee_id.clone())
            .collect()
    }

    /// The roster as CSV (`employee_id,name,role,team,start_date,end_date`).
    #[must_use]
    pub fn to_csv(&self) -> String {
        let mut out = String::from("employee_id,name,role,team,start_date,end_date\n");
        for e in &self.employees {
            out.push_str(&format!(
                "{},{},{},{},{},{}\n",
                e.employee_id,
                e.name,
                e.role,
                e.team,
                e.start_date,
                e.end_date.as_deref().unwrap_or_default()
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roster_has_the_departed_engineer_and_agents() {
        let r = Roster::build(1, 1_000_000);
        let departed = r
            .employees
            .iter()
            .find(|e| e.employee_id == DEPARTED_ENGINEER)
            .unwrap();
        assert_eq!(departed.end_date.as_deref(), Some("2024-12-20"));
        assert_eq!(
            r.employees
                .iter()
                .filter(|e| e.employee_id == DEPARTED_ENGINEER)
                .count(),
            1
        );
        assert!(r.support_agents().len() >= 40);
        let ids = r.ids();
        let unique: std::collections::HashSet<_> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len());
    }
}
