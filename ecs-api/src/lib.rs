pub use ecs_core;
