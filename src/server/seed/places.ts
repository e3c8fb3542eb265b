// Data about the departments for the synthetic country: how many candidates each registers, which
// name region it is in, and the names schools are given.

/**
 * Candidates per exam department in 2024, ESTIMATED from each province's population share (2019 census,
 * adjusted down for the highland provinces' lower upper-secondary enrolment and for Bình Dương's adult
 * migrant population). The six departments whose 2024 count was published (reference/
 * registration-volumes.json: Hà Nội, TP.HCM, Thanh Hóa, Kon Tum, Lai Châu, Bắc Kạn) use the published
 * figure instead; the estimates are then scaled so the national total matches the published 2024 total.
 * Only the relative sizes matter: the seed scales them to the requested number of candidates.
 */
export const ESTIMATED_CANDIDATES_2024: Readonly<Record<string, number>> = {
  '01': 109_000, '02': 88_000, '03': 24_000, '04': 13_000, '05': 7_000, '06': 5_000, '07': 4_200,
  '08': 8_000, '09': 9_000, '10': 9_000, '11': 3_200, '12': 15_000, '13': 9_000, '14': 13_000,
  '15': 17_000, '16': 15_000, '17': 16_000, '18': 23_000, '19': 19_000, '21': 22_000, '22': 15_000,
  '23': 10_000, '24': 10_000, '25': 22_000, '26': 20_000, '27': 12_000, '28': 38_700, '29': 34_500,
  '30': 15_000, '31': 10_000, '32': 7_000, '33': 12_000, '34': 15_000, '35': 13_000, '36': 5_000,
  '37': 16_000, '38': 15_000, '39': 9_000, '40': 20_000, '41': 12_000, '42': 13_000, '43': 9_000,
  '44': 17_000, '45': 5_500, '46': 10_000, '47': 11_000, '48': 30_000, '49': 16_000, '50': 13_000,
  '51': 15_000, '52': 12_000, '53': 15_000, '54': 12_000, '55': 12_000, '56': 11_000, '57': 9_000,
  '58': 8_000, '59': 9_000, '60': 7_000, '61': 9_000, '62': 6_000, '63': 6_000, '64': 6_000,
  // Ministry of Defence schools: a small council (*assumption*, no figure found)
  '65': 1_000,
};

export type NameRegion = 'north' | 'south' | 'highland';

/** Northern highland departments, where Tày, Nùng, Thái, Mông and Dao family names are common. */
const HIGHLAND = new Set(['05', '06', '07', '08', '09', '10', '11', '13', '14', '23', '62']);
/** From Quảng Nam (34) southwards Huỳnh/Võ replace Hoàng/Vũ; TP.HCM is 02. */
const SOUTH_FROM = 34;

export function nameRegion(departmentCode: string): NameRegion {
  if (HIGHLAND.has(departmentCode)) return 'highland';
  if (departmentCode === '02') return 'south';
  const n = Number(departmentCode);
  return n >= SOUTH_FROM && n !== 62 && n !== 65 ? 'south' : 'north';
}

/**
 * Schools in Vietnam are mostly named after historical figures; the same name recurs in many provinces
 * ("Trường THPT Nguyễn Trãi" exists in dozens). A department draws from this list in a seeded order.
 */
export const SCHOOL_NAMESAKES: readonly string[] = `
Chu Văn An|Nguyễn Trãi|Lê Quý Đôn|Trần Phú|Nguyễn Du|Lê Lợi|Quang Trung|Phan Bội Châu|Trần Hưng Đạo|
Nguyễn Huệ|Lý Thường Kiệt|Ngô Quyền|Lê Hồng Phong|Nguyễn Thị Minh Khai|Võ Thị Sáu|Hùng Vương|
Phan Châu Trinh|Huỳnh Thúc Kháng|Nguyễn Đình Chiểu|Trần Quốc Tuấn|Hoàng Hoa Thám|Nguyễn Văn Cừ|
Lê Thánh Tông|Nguyễn Bỉnh Khiêm|Lương Thế Vinh|Đinh Tiên Hoàng|Lý Thái Tổ|Trần Nhân Tông|Lê Văn Tám|
Nguyễn Tất Thành|Tôn Đức Thắng|Phạm Văn Đồng|Võ Nguyên Giáp|Trần Đại Nghĩa|Nguyễn Khuyến|Nguyễn Gia Thiều|
Lê Văn Hưu|Ngô Sĩ Liên|Phan Đình Phùng|Nguyễn Công Trứ|Cao Bá Quát|Hồ Xuân Hương|Bà Triệu|Hai Bà Trưng|
Mạc Đĩnh Chi|Tô Hiến Thành|Trần Quang Khải|Yết Kiêu|Phạm Ngũ Lão|Lê Hoàn|Nguyễn Văn Trỗi|Lý Tự Trọng|
Kim Đồng|Võ Văn Kiệt|Nguyễn Hữu Cảnh|Trương Định|Nguyễn Trung Trực|Thủ Khoa Huân|Phan Văn Trị|
Nguyễn Thông|Bùi Thị Xuân|Nguyễn Hiền|Lê Quý Đôn|Trần Văn Ơn|Nguyễn An Ninh|Marie Curie|
Nguyễn Thượng Hiền|Lê Trọng Tấn|Hoàng Văn Thụ|Nguyễn Văn Linh|Trần Cao Vân|Tây Sơn|Nguyễn Đăng Đạo|
Hàn Thuyên|Lý Nhân Tông|Nguyễn Siêu|Phan Huy Chú|Đào Duy Từ|Đào Duy Anh|Nguyễn Trường Tộ|Trần Văn Giàu|
Lê Duẩn|Trường Chinh|Nguyễn Chí Thanh|Phan Đăng Lưu|Lê Hữu Trác|Tuệ Tĩnh|Hải Thượng Lãn Ông|
Nguyễn Viết Xuân|Tô Vĩnh Diện|Phan Đình Giót|Bế Văn Đàn|La Văn Cầu|Cù Chính Lan|Nguyễn Văn Thoại|
Châu Văn Liêm|Trần Quốc Toản|Nguyễn Thái Học|Phó Đức Chính|Nguyễn Khắc Nhu|Lương Văn Can|Đặng Thai Mai|
Xuân Diệu|Huy Cận|Tố Hữu|Nguyễn Bính|Hàm Nghi|Duy Tân|Thành Thái|Trưng Vương|Lê Chân|Nguyễn Biểu|
Đặng Dung|Nguyễn Xí|Lê Viết Thuật|Hà Huy Tập|Trần Phú|Mai Hắc Đế|Đinh Bộ Lĩnh|Ngô Gia Tự|Lê Văn Thịnh|
Nguyễn Văn Huyên|Tạ Quang Bửu|Ngô Thì Nhậm|Chu Văn Thịnh|Trần Nguyên Hãn|Nguyễn Quán Nho|Lê Viết Lượng|
Phạm Hồng Thái|Nguyễn Thị Định|Trần Văn Thời|Phan Ngọc Hiển|Hồ Thị Kỷ|Ngô Văn Sở|Lương Định Của|
Trần Đề|Võ Trường Toản|Nguyễn Việt Hồng|Bùi Hữu Nghĩa|Trần Quang Diệu|Võ Văn Tần|Nguyễn Văn Tiếp|
Phạm Thái Bường|Trần Đại Nghĩa|Lưu Văn Liệt|Hòa Bình|Thống Nhất|Độc Lập|Hữu Nghị|Việt Đức|Việt Bắc`
  .split('|')
  .map((s) => s.trim().normalize('NFC'))
  .filter((s, i, all) => s.length > 0 && all.indexOf(s) === i);
