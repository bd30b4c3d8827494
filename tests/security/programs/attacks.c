/* The isolation suite's attack program for C and C++ (tests/security/sandbox_languages_test.cc):
 * stdin names what to do: probe | memory | flood | files | net PORT | fork. */
#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int count(const char *dir, int digits) {
  DIR *d = opendir(dir);
  struct dirent *e;
  int n = 0;
  if (!d) return -1;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.') continue;
    if (digits && (e->d_name[0] < '0' || e->d_name[0] > '9')) continue;
    n++;
  }
  closedir(d);
  return n;
}

static const char *reach(const char *ip, int port) {
  struct sockaddr_in a;
  int s = socket(AF_INET, SOCK_STREAM, 0), r;
  if (s < 0) return "blocked";
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons((unsigned short)port);
  inet_pton(AF_INET, ip, &a.sin_addr);
  r = connect(s, (struct sockaddr *)&a, sizeof a);
  close(s);
  return r == 0 ? "connected" : "blocked";
}

int main(void) {
  char cmd[64] = {0};
  int port = 0, i, refused = 0;
  const char *paths[] = {"/x", "/usr/x", "/etc/x", "/arbiter/x", "/proc/x"};
  FILE *f;
  if (scanf("%63s %d", cmd, &port) < 1) return 2;
  if (!strcmp(cmd, "probe")) {
    printf("%d %d %d\n", count("/proc", 1), count(".", 0), count("/dev/shm", 0));
  } else if (!strcmp(cmd, "memory")) {
    for (;;) {
#ifdef __cplusplus
      char *p = new char[1 << 20];
#else
      char *p = (char *)malloc(1 << 20);
      if (!p) abort();
#endif
      memset(p, 1, 1 << 20);
    }
  } else if (!strcmp(cmd, "flood")) {
    for (;;) fputs("flood flood flood flood\n", stdout);
  } else if (!strcmp(cmd, "files")) {
    for (i = 0; i < 5; i++) {
      int fd = open(paths[i], O_WRONLY | O_CREAT, 0644);
      if (fd < 0) refused++; else close(fd);
    }
    if ((f = fopen("left-behind", "w")) != NULL) fclose(f);
    if ((f = fopen("/dev/shm/left-behind", "w")) != NULL) fclose(f);
    printf("refused %d\n", refused);
  } else if (!strcmp(cmd, "net")) {
    printf("%s %s\n", reach("127.0.0.1", port), reach("1.1.1.1", 53));
  } else if (!strcmp(cmd, "fork")) {
    for (;;) fork();
  }
  return 0;
}
