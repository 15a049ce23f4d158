//! The waiters, as data: one entry per waiter, in the part the metadata
//! cannot play (it has no waiters; aws-sdk-rust's Smithy models do). Regen
//! checks every entry against the metadata ([`crate::ir`]: the operation,
//! its id parameter and its form, the item's id field, the state's path,
//! that each state value is one the metadata documents) and fails naming
//! what does not exist; [`crate::emit`] turns each into a
//! `ecs_core::waiter::WaiterSpec` const and a `client.wait_until_<name>`
//! method. The behaviour is `ecs_core::waiter`'s.

/// How a waiter's ids go into the describe request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdsIn {
    /// A string parameter holding a JSON list (`InstanceIds`), at most
    /// this many per call.
    JsonList(&'static str, usize),
    /// `Name.N` (`NetworkInterfaceId.1`), at most this many per call.
    RepeatList(&'static str, usize),
    /// One string parameter, ids joined by commas (`TaskIds`).
    Joined(&'static str, usize),
    /// One id per call.
    One(&'static str),
    /// Not sent: the method's other arguments select the items.
    Unsent,
}

impl IdsIn {
    pub fn param(&self) -> Option<&'static str> {
        match *self {
            IdsIn::JsonList(p, _)
            | IdsIn::RepeatList(p, _)
            | IdsIn::Joined(p, _)
            | IdsIn::One(p) => Some(p),
            IdsIn::Unsent => None,
        }
    }
}

/// What an id missing from the answer means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gone {
    /// Done: deleted (deletion waiters).
    Success,
    /// Not listed yet: poll again.
    Pending,
}

/// One waiter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Waiter {
    /// `instances_running`: the method `wait_until_instances_running` and
    /// the const `INSTANCES_RUNNING`.
    pub name: &'static str,
    /// What success means, for the method's doc.
    pub doc: &'static str,
    /// The describe operation it polls.
    pub operation: &'static str,
    pub ids: IdsIn,
    /// The id field of one item, e.g. `InstanceId`.
    pub id: &'static str,
    /// The state's path in the answer, through the operation's item list:
    /// `Instances.Instance[].Status`.
    pub state: &'static str,
    /// Request parameters the method takes before the ids (`InvokeId`).
    pub args: &'static [&'static str],
    /// Request parameters every poll sends (`DescribeImages` lists only
    /// `Available` images unless `Status` says otherwise).
    pub preset: &'static [(&'static str, &'static str)],
    pub success: &'static [&'static str],
    /// States that end the wait at once with an error.
    pub failure: &'static [&'static str],
    pub gone: Gone,
    /// Defaults of the wait's options, in seconds.
    pub timeout: u64,
    pub min_delay: u64,
    pub max_delay: u64,
}

const INSTANCE: Waiter = Waiter {
    name: "",
    doc: "",
    operation: "DescribeInstances",
    ids: IdsIn::JsonList("InstanceIds", 100),
    id: "InstanceId",
    state: "Instances.Instance[].Status",
    args: &[],
    preset: &[],
    success: &[],
    failure: &[],
    gone: Gone::Pending,
    timeout: 600,
    min_delay: 2,
    max_delay: 15,
};

const DISK: Waiter = Waiter {
    operation: "DescribeDisks",
    ids: IdsIn::JsonList("DiskIds", 100),
    id: "DiskId",
    state: "Disks.Disk[].Status",
    timeout: 300,
    max_delay: 10,
    ..INSTANCE
};

/// Every waiter of the ECS API.
pub static ECS: &[Waiter] = &[
    Waiter {
        name: "instances_running",
        doc: "every instance is `Running`; one that is `Stopping` fails the wait",
        success: &["Running"],
        failure: &["Stopping"],
        ..INSTANCE
    },
    Waiter {
        name: "instances_stopped",
        doc: "every instance is `Stopped`",
        success: &["Stopped"],
        ..INSTANCE
    },
    Waiter {
        name: "instances_deleted",
        doc: "no instance is listed any more (released)",
        gone: Gone::Success,
        ..INSTANCE
    },
    Waiter {
        name: "disks_available",
        doc: "every disk is `Available` (created, or detached)",
        success: &["Available"],
        ..DISK
    },
    Waiter {
        name: "disks_in_use",
        doc: "every disk is `In_use` (attached)",
        success: &["In_use"],
        ..DISK
    },
    Waiter {
        name: "snapshots_accomplished",
        doc: "every snapshot is `accomplished`; one that `failed` fails the wait",
        operation: "DescribeSnapshots",
        ids: IdsIn::JsonList("SnapshotIds", 100),
        id: "SnapshotId",
        state: "Snapshots.Snapshot[].Status",
        success: &["accomplished"],
        failure: &["failed"],
        timeout: 7200,
        min_delay: 5,
        max_delay: 60,
        ..INSTANCE
    },
    Waiter {
        name: "images_available",
        doc: "every image is `Available`; one whose creation failed \
              (`CreateFailed`) fails the wait",
        operation: "DescribeImages",
        ids: IdsIn::One("ImageId"),
        id: "ImageId",
        state: "Images.Image[].Status",
        preset: &[(
            "Status",
            "Creating,Waiting,Available,UnAvailable,CreateFailed",
        )],
        success: &["Available"],
        failure: &["CreateFailed"],
        timeout: 7200,
        min_delay: 5,
        max_delay: 60,
        ..INSTANCE
    },
    Waiter {
        name: "invocation_finished",
        doc: "the command has finished on every instance, however it ended: each \
              result's `InvocationStatus`, `ExitCode` and `Output` say how",
        operation: "DescribeInvocationResults",
        ids: IdsIn::Unsent,
        id: "InstanceId",
        state: "Invocation.InvocationResults.InvocationResult[].InvocationStatus",
        args: &["InvokeId"],
        success: &[
            "Success",
            "Failed",
            "Error",
            "Timeout",
            "Cancelled",
            "Terminated",
            "Invalid",
            "Aborted",
        ],
        timeout: 3600,
        min_delay: 1,
        max_delay: 10,
        ..INSTANCE
    },
    Waiter {
        name: "network_interfaces_available",
        doc: "every network interface is `Available`; one being deleted \
              (`Deleting`) fails the wait",
        operation: "DescribeNetworkInterfaces",
        ids: IdsIn::RepeatList("NetworkInterfaceId", 100),
        id: "NetworkInterfaceId",
        state: "NetworkInterfaceSets.NetworkInterfaceSet[].Status",
        success: &["Available"],
        failure: &["Deleting"],
        timeout: 300,
        min_delay: 1,
        max_delay: 10,
        ..INSTANCE
    },
    Waiter {
        name: "tasks_finished",
        doc: "every task is `Finished`; one that `Failed` fails the wait",
        operation: "DescribeTasks",
        ids: IdsIn::Joined("TaskIds", 100),
        id: "TaskId",
        state: "TaskSet.Task[].TaskStatus",
        success: &["Finished"],
        failure: &["Failed"],
        timeout: 3600,
        min_delay: 5,
        max_delay: 30,
        ..INSTANCE
    },
];

/// The waiters of the fixture API (`codegen/tests/fixtures/quirks.json`),
/// so that the fixture crate compiles a waiter over an enum state.
pub static QUIRKS: &[Waiter] = &[Waiter {
    name: "things_running",
    doc: "every thing is `Running`; one that is `Stopped` fails the wait",
    operation: "DescribeThings",
    ids: IdsIn::JsonList("ThingIds", 50),
    id: "ThingId",
    state: "Things.Thing[].Status",
    success: &["Running"],
    failure: &["Stopped"],
    ..INSTANCE
}];
