// The isolation suite's attack program for Rust: stdin names what to do (see attacks.c).
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Command, Stdio};
use std::time::Duration;

fn count(dir: &str, digits: bool) -> i64 {
    match std::fs::read_dir(dir) {
        Err(_) => -1,
        Ok(entries) => entries
            .filter_map(|e| e.ok())
            .filter(|e| !digits || e.file_name().to_string_lossy().starts_with(|c: char| c.is_ascii_digit()))
            .count() as i64,
    }
}

fn reach(addr: &str) -> &'static str {
    let addr: SocketAddr = addr.parse().unwrap();
    match TcpStream::connect_timeout(&addr, Duration::from_secs(1)) {
        Ok(_) => "connected",
        Err(_) => "blocked",
    }
}

fn main() {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).unwrap();
    let words: Vec<&str> = input.split_whitespace().collect();
    match words.first().copied().unwrap_or("") {
        "probe" => println!("{} {} {}", count("/proc", true), count(".", false), count("/dev/shm", false)),
        "memory" => {
            let mut keep: Vec<Vec<u8>> = Vec::new();
            loop {
                keep.push(vec![1u8; 1 << 20]);
            }
        }
        "flood" => {
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            loop {
                let _ = out.write_all(b"flood flood flood flood\n");
            }
        }
        "files" => {
            let refused = ["/x", "/usr/x", "/etc/x", "/arbiter/x", "/proc/x"]
                .iter()
                .filter(|p| std::fs::File::create(p).is_err())
                .count();
            let _ = std::fs::write("left-behind", "x");
            let _ = std::fs::write("/dev/shm/left-behind", "x");
            println!("refused {}", refused);
        }
        "net" => println!("{} {}", reach(&format!("127.0.0.1:{}", words[1])), reach("1.1.1.1:53")),
        "fork" => loop {
            if let Ok(mut child) = Command::new("/proc/self/exe").stdin(Stdio::piped()).spawn() {
                let _ = child.stdin.take().unwrap().write_all(b"fork");
            }
        },
        _ => {}
    }
}
