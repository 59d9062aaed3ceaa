import { Controller, Get, Param } from '@nestjs/common';
import axios from 'axios';

@Controller('orders')
export class OrdersController {
  @Get(':id')
  async get(@Param('id') id: string) {
    const response = await axios.get(`http://orders:8080/orders/${id}`);
    return response.data;
  }
}
