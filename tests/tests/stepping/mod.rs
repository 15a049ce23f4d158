//! Time for lifecycles on a manual clock: a task that moves the clock one
//! step each time the cloud has answered a given action, as time would
//! pass between a client's polls, and keeps those answers.
#![allow(dead_code)]

use ecs_simulator::cloud::Clock;
use ecs_simulator::simulator::Simulator;
use serde_json::Value;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The answers the stepping task saw, in order.
#[derive(Clone)]
pub struct Answers {
    bodies: Arc<Mutex<Vec<Value>>>,
    action: &'static str,
}

impl Answers {
    /// Every answer to the action so far, once the task has seen as many
    /// as the simulator received requests for it.
    pub async fn bodies(&self, sim: &Simulator) -> Vec<Value> {
        let sent = sim
            .requests()
            .iter()
            .filter(|r| r.param("Action").as_deref() == Some(self.action))
            .count();
        for _ in 0..5000 {
            let bodies = self.bodies.lock().unwrap().clone();
            if bodies.len() >= sent {
                return bodies;
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        panic!("the stepping task missed answers to {}", self.action);
    }
}

/// Moves `clock` by `step` each time the cloud has answered `action`;
/// stops with the test's runtime.
pub fn step_after_each(
    sim: &Simulator,
    clock: Clock,
    action: &'static str,
    step: Duration,
) -> Answers {
    let cloud = sim.cloud().clone();
    let answers = Answers {
        bodies: Arc::default(),
        action,
    };
    let seen = answers.bodies.clone();
    tokio::spawn(async move {
        let mut last = None;
        loop {
            if let Some((answered, reply)) = cloud.last_answer() {
                let id = reply.body["RequestId"].clone();
                if last.as_ref() != Some(&id) {
                    if answered == action {
                        seen.lock().unwrap().push(reply.body.clone());
                        clock.advance(step);
                    }
                    last = Some(id);
                }
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    });
    answers
}
