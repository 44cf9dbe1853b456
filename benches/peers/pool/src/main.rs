//! One shape of the public async-pool benchmark on one pool: `WORKERS` tasks (threads for
//! r2d2) on a tokio runtime with two workers share a pool of `SIZE` objects and check one out
//! and back `TOTAL / WORKERS` times each; `contended` yields once while holding it. Prints
//! the seconds it took.
//!
//! Usage: `pool-peers <patternkit|deadpool|bb8|r2d2|mobc> SIZE WORKERS TOTAL <plain|contended>`
//!
//! With `postgres` as the shape, each checkout runs `SELECT 1` on the PostgreSQL server at
//! `PATTERNKIT_POSTGRES_URL` (patternkit, deadpool and bb8 only).

use std::convert::Infallible;
use std::time::Instant;

/// `workers` tasks each checking an object of `pool` out and back `each` times.
macro_rules! cycles {
    ($pool:ident, $workers:expr, $each:expr, $contended:expr) => {
        run($workers, $each, $contended, move || {
            let pool = $pool.clone();
            async move {
                let object = pool.get().await.expect("object");
                hold($contended).await;
                drop(object);
            }
        })
        .await
    };
}

/// `workers` tasks each running `SELECT 1` on a client of `pool`, `each` times.
macro_rules! select_ones {
    ($pool:ident, $workers:expr, $each:expr) => {
        run($workers, $each, false, move || {
            let pool = $pool.clone();
            async move {
                let client = pool.get().await.expect("client");
                client.query_one("SELECT 1", &[]).await.expect("SELECT 1");
            }
        })
        .await
    };
}

/// The pooled object: creating one costs nothing, so the pool's own overhead is measured.
pub struct Object;

mod patternkit_pool {
    use patternkit::pool::{Manager, PoolFuture};

    pub struct Objects;

    impl Manager for Objects {
        type Connection = super::Object;
        type Error = String;

        fn create(&self) -> PoolFuture<'_, Result<super::Object, String>> {
            Box::pin(async { Ok(super::Object) })
        }

        fn check<'a>(&'a self, _: &'a mut super::Object) -> PoolFuture<'a, Result<(), String>> {
            Box::pin(async { Ok(()) })
        }
    }
}

struct DeadpoolObjects;

impl deadpool::managed::Manager for DeadpoolObjects {
    type Type = Object;
    type Error = Infallible;

    async fn create(&self) -> Result<Object, Infallible> {
        Ok(Object)
    }

    async fn recycle(
        &self,
        _: &mut Object,
        _: &deadpool::managed::Metrics,
    ) -> deadpool::managed::RecycleResult<Infallible> {
        Ok(())
    }
}

struct Bb8Objects;

impl bb8::ManageConnection for Bb8Objects {
    type Connection = Object;
    type Error = Infallible;

    async fn connect(&self) -> Result<Object, Infallible> {
        Ok(Object)
    }

    async fn is_valid(&self, _: &mut Object) -> Result<(), Infallible> {
        Ok(())
    }

    fn has_broken(&self, _: &mut Object) -> bool {
        false
    }
}

struct MobcObjects;

#[mobc::async_trait]
impl mobc::Manager for MobcObjects {
    type Connection = Object;
    type Error = Infallible;

    async fn connect(&self) -> Result<Object, Infallible> {
        Ok(Object)
    }

    async fn check(&self, conn: Object) -> Result<Object, Infallible> {
        Ok(conn)
    }
}

#[derive(Debug)]
struct Never;

impl std::fmt::Display for Never {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("never")
    }
}

impl std::error::Error for Never {}

struct R2d2Objects;

impl r2d2::ManageConnection for R2d2Objects {
    type Connection = Object;
    type Error = Never;

    fn connect(&self) -> Result<Object, Never> {
        Ok(Object)
    }

    fn is_valid(&self, _: &mut Object) -> Result<(), Never> {
        Ok(())
    }

    fn has_broken(&self, _: &mut Object) -> bool {
        false
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [pool, size, workers, total, shape] = args.as_slice() else {
        eprintln!("usage: pool-peers POOL SIZE WORKERS TOTAL plain|contended");
        std::process::exit(2);
    };
    let size: usize = size.parse().expect("SIZE");
    let workers: usize = workers.parse().expect("WORKERS");
    let each = total.parse::<usize>().expect("TOTAL") / workers;
    let contended = shape == "contended";
    if shape == "postgres" {
        let seconds = runtime_for_postgres(pool, size, workers, each);
        println!("{seconds}");
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let seconds = match pool.as_str() {
        "patternkit" => runtime.block_on(async {
            let pool = patternkit::pool::Pool::builder(patternkit_pool::Objects)
                .max_size(size)
                .build()
                .expect("pool");
            cycles!(pool, workers, each, contended)
        }),
        "deadpool" => runtime.block_on(async {
            let pool: deadpool::managed::Pool<DeadpoolObjects> =
                deadpool::managed::Pool::builder(DeadpoolObjects)
                    .max_size(size)
                    .build()
                    .expect("pool");
            cycles!(pool, workers, each, contended)
        }),
        "bb8" => runtime.block_on(async {
            let pool = bb8::Pool::builder()
                .max_size(u32::try_from(size).expect("size"))
                .test_on_check_out(false)
                .build(Bb8Objects)
                .await
                .expect("pool");
            cycles!(pool, workers, each, contended)
        }),
        "mobc" => runtime.block_on(async {
            let pool = mobc::Pool::builder()
                .max_open(u64::try_from(size).expect("size"))
                .build(MobcObjects);
            cycles!(pool, workers, each, contended)
        }),
        "r2d2" => {
            // Threads, not tasks: r2d2 blocks. A contended holder yields its thread once.
            let pool = r2d2::Pool::builder()
                .max_size(u32::try_from(size).expect("size"))
                .test_on_check_out(false)
                .build(R2d2Objects)
                .expect("pool");
            let started = Instant::now();
            std::thread::scope(|scope| {
                for _ in 0..workers {
                    scope.spawn(|| {
                        for _ in 0..each {
                            let object = pool.get().expect("object");
                            if contended {
                                std::thread::yield_now();
                            }
                            drop(object);
                        }
                    });
                }
            });
            started.elapsed().as_secs_f64()
        }
        other => {
            eprintln!("unknown pool `{other}`");
            std::process::exit(2);
        }
    };
    println!("{seconds}");
}

async fn hold(contended: bool) {
    if contended {
        tokio::task::yield_now().await;
    }
}

async fn run<F, Fut>(workers: usize, each: usize, _contended: bool, cycle: F) -> f64
where
    F: Fn() -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let started = Instant::now();
    let tasks: Vec<_> = (0..workers)
        .map(|_| {
            let cycle = cycle.clone();
            tokio::spawn(async move {
                for _ in 0..each {
                    cycle().await;
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("worker");
    }
    started.elapsed().as_secs_f64()
}

fn postgres_url() -> String {
    std::env::var("PATTERNKIT_POSTGRES_URL")
        .unwrap_or_else(|_| "host=127.0.0.1 port=5432 user=postgres dbname=test".into())
}

/// `SELECT 1` per checkout on a real server.
fn runtime_for_postgres(pool: &str, size: usize, workers: usize, each: usize) -> f64 {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let url = postgres_url();
    runtime.block_on(async move {
        match pool {
            "patternkit" => {
                let pool = patternkit::pool::Pool::builder(
                    patternkit::postgres::PostgresManager::new(&url),
                )
                .max_size(size)
                .build()
                .expect("pool");
                select_ones!(pool, workers, each)
            }
            "deadpool" => {
                let config: tokio_postgres::Config = url.parse().expect("config");
                let manager = deadpool_postgres::Manager::new(config, tokio_postgres::NoTls);
                let pool = deadpool_postgres::Pool::builder(manager)
                    .max_size(size)
                    .build()
                    .expect("pool");
                select_ones!(pool, workers, each)
            }
            "bb8" => {
                let manager = bb8_postgres::PostgresConnectionManager::new_from_stringlike(
                    url.as_str(),
                    tokio_postgres::NoTls,
                )
                .expect("config");
                let pool = bb8::Pool::builder()
                    .max_size(u32::try_from(size).expect("size"))
                    .build(manager)
                    .await
                    .expect("pool");
                select_ones!(pool, workers, each)
            }
            other => {
                eprintln!("`{other}` has no PostgreSQL case");
                std::process::exit(2);
            }
        }
    })
}
