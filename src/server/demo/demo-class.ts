// The demo class as data, without the database: the demo loader inserts it and the simulators of the
// national links (src/sims) know the same people.
export const DEMO_CLASS: ReadonlyArray<readonly [name: string, gender: 'M' | 'F', dob: string]> = [
  ['Nguyễn Văn An', 'M', '2008-03-14'],
  ['Trần Thị Bình', 'F', '2008-07-02'],
  ['Lê Hoàng Cường', 'M', '2008-11-23'],
  ['Phạm Ngọc Diệp', 'F', '2008-01-30'],
  ['Hoàng Đức Dũng', 'M', '2008-05-09'],
  ['Vũ Thu Hà', 'F', '2008-09-17'],
  ['Đặng Minh Khôi', 'M', '2008-02-11'],
  ['Bùi Thị Lan', 'F', '2008-12-05'],
  ['Đỗ Quang Minh', 'M', '2008-06-21'],
  ['Ngô Phương Nhi', 'F', '2008-04-04'],
  ['Dương Gia Phúc', 'M', '2008-08-28'],
  ['Lý Thanh Tâm', 'F', '2008-10-10'],
];

/** The personal number (CCCD) of the i-th member of the demo class: born in Hà Nội, serials from 100001. */
export function demoPersonalNumber(i: number): string {
  const [, gender, dob] = DEMO_CLASS[i]!;
  return `001${gender === 'M' ? '2' : '3'}${dob.slice(2, 4)}${String(100001 + i).padStart(6, '0')}`;
}

